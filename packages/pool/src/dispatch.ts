/**
 * The main thread's traffic control: which thread takes a request (the rule
 * is in placement.ts), what waits in the queue, what comes back, and what
 * happens when a request times out or its thread goes away.
 *
 * Each route's cost to a thread is learnt (costs.ts), and each thread's
 * progress is read from shared memory (progress.ts), so the main thread
 * knows which requests a thread holds, which it has started, and whether
 * its loop is moving. Async handlers cost little, so up to
 * `concurrentTasksPerWorker` overlap on a thread.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Piscina } from 'piscina';
import {
  clientLeft,
  Deadlines,
  decodeMessage,
  encodeMessage,
  healthProbe,
  METRICS_INTERVAL_MS,
  NodeRequest,
  RestartCounts,
  sendError,
  TOPIC_CHANNEL,
  withLabels,
  type MetricsBoard,
  type NodeRequestOptions,
  type RequestObserver,
} from '@switchyard/core/node';
import { ChannelHub, type ChannelBridge, type Logger, type RequestCounters, type ResolvedLimits } from '@switchyard/core';
import { CHEAP, RouteCosts, routeKey, UNKNOWN } from './costs.js';
import { observeBusy } from './observe.js';
import { place, type Threads as Placement } from './placement.js';
import { fromErrorData, threadStuck } from './errors.js';
import { CLOSED, Job, QUEUED, RECEIVING, RUNNING, STREAMING } from './job.js';
import {
  ABORT,
  CHUNK,
  CREDIT,
  DELIVER,
  SHUTDOWN,
  DROPPED,
  END,
  FAILED,
  HEAD,
  METRICS,
  PUBLISH,
  REQUEST,
  RESPONSE,
  SOCKET,
  STREAM_ERROR,
  UPGRADE,
  type FailedMessage,
  type FromThread,
  type HeadMessage,
  type ResponseMessage,
  type UpgradeMessage,
} from './messages.js';
import type { ResolvedPoolOptions } from './options.js';
import { type Lane, RequestQueue } from './queue.js';
import { StreamSink, writeWhole } from './respond.js';
import type { PoolWorkerStats } from './stats.js';
import type { ThreadEvents, ThreadHandle } from './thread.js';
import { Threads } from './threads.js';
import { PoolSockets } from './sockets.js';

/** Seconds a refused client is told to wait (RFC 9110, 10.2.3). */
const RETRY_AFTER_S = 1;
/**
 * While requests wait, how soon to look again at a thread that has requests
 * in its port and is moving: it starts them without a message, and once it
 * has, it may take the next.
 */
const RECHECK_MS = 1;

const NO_BODY_OPTIONS: NodeRequestOptions = {
  maxBodySize: 0,
  get signal() {
    return new AbortController().signal;
  },
  onTooLarge() {},
};

/** The key a thread slot's own metrics are reported under; a replacement reports under its predecessor's. */
function metricsSource(thread: ThreadHandle): string {
  return `thread-${thread.id}`;
}

export interface DispatcherConfig {
  pool: Piscina;
  workers: number;
  app: string;
  fastGlobals: boolean;
  limits: ResolvedLimits;
  poolOptions: ResolvedPoolOptions;
  logger: Logger;
  counters: RequestCounters;
  /** Health and readiness probes: they may queue past `limits.maxQueue`. */
  healthPaths: readonly string[];
  /** Called whenever a request is done as far as its client is concerned. */
  onFinish: () => void;
  /** Metrics and access logs; undefined when both are off. */
  observer?: RequestObserver | undefined;
  /** Where threads' own metrics go; undefined when metrics are off. */
  board?: MetricsBoard | undefined;
  /** Carries channel messages to and from other instances; undefined when `channel` is off. */
  bridge?: ChannelBridge | undefined;
}

export class Dispatcher implements ThreadEvents {
  /** Waiting requests; one whose route was learnt while it waited moves out of the unsure lane. */
  readonly queue = new RequestQueue<Job>((job) => this.#relane(job));
  /** Threads replaced, by slot and cause, for `/metrics`. */
  readonly restarts = new RestartCounts();
  /** Requests the express lane took. */
  expressRequests = 0;
  readonly #config: DispatcherConfig;
  readonly #threads: Threads;
  readonly #costs = new RouteCosts();
  readonly #deadlines: Deadlines<Job>;
  readonly #capacity: number;
  readonly #maxQueue: number;
  readonly #isHealth: (url: string | undefined) => boolean;
  /** How long a thread's loop may stay busy after one of its requests timed out before it counts as stuck. */
  readonly #stuckGraceMs: number;
  readonly #placement: Placement;
  #nextId = 1;
  #rotation = 0;
  #wake: NodeJS.Timeout | undefined;
  /** The WebSockets, when the app takes them (known once the threads are ready). */
  #sockets: PoolSockets | undefined;
  /** WebSocket topics on this thread, where the sockets are; reaches other instances through the bridge. */
  readonly #hub: ChannelHub;

  constructor(config: DispatcherConfig) {
    this.#config = config;
    this.#capacity = config.poolOptions.concurrentTasksPerWorker;
    this.#maxQueue = config.limits.maxQueue;
    this.#isHealth = healthProbe(config.healthPaths);
    this.#stuckGraceMs = Math.min(1000, config.limits.requestTimeout);
    this.#deadlines = new Deadlines(config.limits.requestTimeout, (job) => this.#expire(job));
    this.#threads = new Threads(
      {
        pool: config.pool,
        app: config.app,
        fastGlobals: config.fastGlobals,
        metricsIntervalMs: config.board ? METRICS_INTERVAL_MS : 0,
        streamWindow: config.poolOptions.streamWindow,
        niceIncrement: config.poolOptions.niceIncrement,
        expressLane: config.poolOptions.expressLane,
        requestTimeout: config.limits.requestTimeout,
        maxBodySize: config.limits.maxBodySize,
        workers: config.workers,
        logger: config.logger,
        onReady: () => this.#drain(),
      },
      this,
    );
    this.#placement = { serving: this.#threads.serving, express: this.#threads.express, capacity: this.#capacity };
    const bridge = config.bridge;
    this.#hub = new ChannelHub(bridge && ((name, message) => bridge.publish(name, encodeMessage(message))));
    bridge?.onMessage((name, data) => {
      if (name === TOPIC_CHANNEL) this.#hub.deliver(name, decodeMessage(data));
      else this.#deliver(undefined, name, decodeMessage(data));
    });
  }

  /** Hands a channel message to every thread but the one that published it. */
  #deliver(from: ThreadHandle | undefined, name: string, message: unknown): void {
    for (const thread of this.#threads.list) {
      if (thread !== from && thread.ready) thread.post({ t: DELIVER, name, message });
    }
  }

  get threads(): readonly ThreadHandle[] {
    return this.#threads.list;
  }

  /** Starts every thread; rejects with the first `setup` failure. */
  async start(): Promise<void> {
    await this.#threads.start();
    const options = this.#threads.list[0]?.link?.socketOptions;
    if (options) this.#sockets = new PoolSockets(options, this.#hub, this.#config.logger);
  }

  /** The WebSockets, when the app takes them. */
  get sockets(): PoolSockets | undefined {
    return this.#sockets;
  }

  /** A request's head arrived. */
  accept(req: IncomingMessage, res: ServerResponse): Job {
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const route = routeKey(method, url);
    // A health check counts as cheap from its first request: of unknown cost it would wait behind every
    // request of unknown cost that came before it (a flood that starts before any route is learnt).
    const cls = this.#isHealth(url) ? CHEAP : this.#costs.classify(route);
    const job = new Job(this.#nextId++, req, res, performance.now(), route, this.#costs.expected(route), cls);
    this.#deadlines.add(job, job.arrivedAt);
    res.once('close', () => {
      if (!res.writableFinished) this.#clientGone(job);
    });
    // A pipelined request behind another gets no 'close' on its response when the client leaves; its request closes.
    req.once('close', () => {
      if (!res.writableFinished && clientLeft(req)) this.#clientGone(job);
    });
    return job;
  }

  /** The request is complete on the main thread: send it to a thread or queue it. */
  submit(job: Job, body: Uint8Array | null): void {
    if (job.finished) return;
    if (job.expired) {
      this.#refuse(job);
      return;
    }
    const req = job.req;
    job.message = {
      t: REQUEST,
      id: job.id,
      seq: 0,
      method: req.method ?? 'GET',
      url: new NodeRequest(req, NO_BODY_OPTIONS).url,
      headers: req.rawHeaders,
      body,
    };
    if (this.#sockets?.host.canUpgrade(req)) job.message.upgrade = true;
    job.hadBody = body !== null;
    job.readyAt = performance.now();
    observeBusy(this.#threads.list, this.#costs, job.readyAt);
    const thread = this.#pick(job);
    if (thread) this.#run(thread, job);
    else if (this.queue.size < this.#maxQueue || this.#isHealth(req.url)) this.#enqueue(job);
    else {
      // Full: a request in a lower lane gives up its place (the newest such), so a flood of one expensive
      // route does not turn away every cheap or first-seen request that comes while it lasts.
      const displaced = this.queue.evictFor(job.lane);
      if (displaced) {
        this.#refuse(displaced);
        this.#enqueue(job);
      } else this.#refuse(job);
    }
  }

  #enqueue(job: Job): void {
    job.state = QUEUED;
    this.queue.push(job);
    this.#armWake();
  }

  /** Reading the body failed: too large, or the client left. */
  bodyFailed(job: Job, error: unknown): void {
    if (job.finished) return;
    if ((error as { code?: string })?.code === 'ERR_BODY_TOO_LARGE') sendError(job.res, 413, { close: true });
    job.state = CLOSED;
    this.finish(job);
  }

  /** The request is over for its client. */
  finish(job: Job): void {
    if (job.finished) return;
    job.finished = true;
    this.#deadlines.delete(job);
    this.#config.counters.inFlight--;
    this.#config.observer?.end(job.req, job.res, job.arrivedAt, job.thread?.id ?? 0);
    this.#config.onFinish();
  }

  figures(): PoolWorkerStats[] {
    return this.#threads.list.map((thread) => ({
      id: thread.id,
      threadId: thread.worker?.threadId,
      express: thread.express,
      requests: thread.stats.tasks,
      inFlight: thread.running.size + thread.streams.size,
      ...thread.stats.read(thread.worker),
    }));
  }

  /** Tells every thread the server is closing, so long-lived responses can end on their own. */
  announceShutdown(): void {
    for (const thread of this.#threads.list) if (thread.ready) thread.post({ t: SHUTDOWN });
  }

  async close(graceMs: number): Promise<void> {
    this.#deadlines.stop();
    clearTimeout(this.#wake);
    await this.#threads.close(graceMs);
  }

  /** A waiting request of unknown cost: its route may have been learnt since it came. */
  #relane(job: Job): Lane {
    if (job.cls === UNKNOWN) {
      const cls = this.#costs.classify(job.route);
      if (cls !== UNKNOWN) job.learnt(cls, this.#costs.expected(job.route));
    }
    return job.lane;
  }

  #pick(job: Job): ThreadHandle | undefined {
    return place(job, this.#placement, performance.now(), this.#rotation++);
  }

  /**
   * Requests wait on the main thread while no thread may take them. Most
   * changes that free a thread come as a message (an answer), which drains
   * the queue. Two do not: a thread starting what waits in its port (after
   * which it may take the next request), and a thread seen busy beating
   * again (its long work ended, or it was only waiting on I/O). So while
   * requests wait, look again shortly at such threads, unless an answer
   * comes first.
   */
  #armWake(): void {
    if (this.#wake) return;
    const now = performance.now();
    for (const thread of this.#threads.list) {
      if (thread.ready && (thread.unstarted(now) > 0 || thread.busyFor(now) > 0)) {
        this.#wake = setTimeout(this.#onWake, RECHECK_MS);
        return;
      }
    }
  }

  readonly #onWake = () => {
    this.#wake = undefined;
    this.#drain();
  };

  #run(thread: ThreadHandle, job: Job): void {
    job.state = RUNNING;
    if (thread.express) this.expressRequests++;
    job.thread = thread;
    thread.sent(job, performance.now());
    const message = job.message!;
    message.seq = job.seq;
    // The body's buffer is transferred when the turn's batch goes out; it is detached here after.
    const body = message.body;
    thread.post(message, body ? (body.buffer as ArrayBuffer) : undefined);
  }

  /** Hands queued requests to threads that can take them. */
  #drain(): void {
    while (this.queue.size > 0) {
      let moved = false;
      for (const job of this.queue.candidates()) {
        const thread = this.#pick(job);
        if (!thread) continue;
        this.queue.take(job);
        this.#run(thread, job);
        moved = true;
        break;
      }
      if (!moved) {
        this.#armWake();
        return;
      }
    }
  }

  /** Node refused the response's head (a header name or value HTTP cannot carry): a logged 500. */
  #unwritable(job: Job, error: unknown): void {
    this.#config.logger.error(`[switchyard] ${job.req.method} ${job.req.url} failed: its response could not be written`, error);
    if (job.res.headersSent) job.res.destroy();
    else sendError(job.res, 500);
  }

  #refuse(job: Job): void {
    job.state = CLOSED;
    this.#config.counters.rejected++;
    this.#config.observer?.rejected(0);
    // A refused client that asks again at once waits on its connection for Retry-After (core's hold-off.ts):
    // closed, it would reconnect at once, and under a flood that churn took CPU from the threads. A request
    // whose body is still arriving is closed instead, so the rest of the body is not read.
    sendError(job.res, 503, job.req.complete ? { retryAfter: RETRY_AFTER_S, holdOff: true } : { retryAfter: RETRY_AFTER_S, close: true });
    this.finish(job);
  }

  /** The thread is done with `job` (it answered, failed or streams on): free its slot. */
  #release(thread: ThreadHandle, job: Job, message: ResponseMessage | HeadMessage | FailedMessage | UpgradeMessage): void {
    const now = performance.now();
    thread.answered(job, now);
    if (thread.warmed(job.route)) this.#costs.record(job.route, message.costMs);
    thread.stats.record(message.runMs, Math.max(0, now - job.readyAt - message.runMs));
  }

  message(thread: ThreadHandle, message: FromThread): void {
    switch (message.t) {
      case METRICS:
        this.#config.board?.report(metricsSource(thread), withLabels(message.metrics, { backend: 'pool', worker: String(thread.id) }));
        return;
      case RESPONSE: {
        const job = thread.running.get(message.id);
        if (!job) return;
        this.#release(thread, job, message);
        if (!job.answered) {
          job.state = CLOSED;
          try {
            writeWhole(job.res, message.status, message.statusText, message.headers, message.body);
          } catch (error) {
            this.#unwritable(job, error);
          }
          this.finish(job);
        }
        this.#drain();
        return;
      }
      case HEAD: {
        const job = thread.running.get(message.id);
        if (!job) return;
        this.#release(thread, job, message);
        if (!job.answered) {
          job.state = STREAMING;
          thread.streams.set(job.id, job);
          // Streams already started are not cut by the request timeout.
          this.#deadlines.delete(job);
          const id = job.id;
          job.sink = new StreamSink(job.res, this.#config.poolOptions.streamWindow, (bytes) => thread.post({ t: CREDIT, id, bytes }));
          try {
            job.sink.start(message.status, message.statusText, message.headers, message.chunk);
          } catch (error) {
            thread.streams.delete(id);
            thread.post({ t: ABORT, id, reason: 'client' });
            job.state = CLOSED;
            this.#unwritable(job, error);
            this.finish(job);
          }
        }
        this.#drain();
        return;
      }
      case CHUNK:
        thread.streams.get(message.id)?.sink?.write(message.chunk);
        return;
      case END: {
        const job = thread.streams.get(message.id);
        if (!job) return;
        thread.streams.delete(job.id);
        job.state = CLOSED;
        job.sink!.end();
        this.finish(job);
        return;
      }
      case STREAM_ERROR: {
        const job = thread.streams.get(message.id);
        if (!job) return;
        thread.streams.delete(job.id);
        job.state = CLOSED;
        this.#config.logger.error(`[switchyard] ${job.req.method} ${job.req.url} failed: the response body stream errored`, fromErrorData(message.error));
        job.res.destroy();
        this.finish(job);
        return;
      }
      case FAILED: {
        const job = thread.running.get(message.id);
        if (!job) return;
        this.#release(thread, job, message);
        const what = `${job.req.method} ${job.req.url}`;
        if (message.error) {
          this.#config.logger.error(`[switchyard] ${what} failed: the handler threw`, fromErrorData(message.error));
        } else {
          this.#config.logger.error(`[switchyard] ${what} failed: the handler returned ${message.returned} instead of a Response`);
        }
        if (!job.answered) {
          job.state = CLOSED;
          sendError(job.res, 500);
          this.finish(job);
        }
        this.#drain();
        return;
      }
      case UPGRADE: {
        const job = thread.running.get(message.id);
        if (!job) return;
        this.#release(thread, job, message);
        if (!job.answered) {
          job.state = CLOSED;
          if (this.#sockets!.accept(job.id, thread.link!, job.req, job.res, message.headers)) job.res.statusCode = 101;
          this.finish(job);
        }
        this.#drain();
        return;
      }
      case SOCKET:
        this.#sockets?.fromThread(message);
        return;
      case DROPPED: {
        const job = thread.running.get(message.id);
        if (!job) return;
        thread.answered(job, performance.now());
        this.#drain();
        return;
      }
      case PUBLISH:
        this.#deliver(thread, message.name, message.message);
        this.#config.bridge?.publish(message.name, encodeMessage(message.message));
        return;
    }
  }

  exited(thread: ThreadHandle, error: Error, stuck: boolean): void {
    const line = `[switchyard] ${error.message}; starting a new thread`;
    if (stuck) this.#config.logger.error(line);
    else this.#config.logger.error(line, error.cause ?? error);
    this.#releaseHeld(thread, stuck ? 503 : 500);
    this.restarts.add(thread.id, stuck ? 'watchdog' : 'crash');
    this.#retire(thread);
    this.#threads.replace(thread);
  }

  /**
   * Gives every thread a session with the app imported anew (Threads.reload).
   * A request a draining thread still holds after `graceMs` gets a 503.
   */
  reload(graceMs: number): Promise<void> {
    return this.#threads.reload(graceMs, {
      abandon: (thread) => this.#releaseHeld(thread, 503),
      swapped: (thread) => {
        this.restarts.add(thread.id, 'reload');
        this.#retire(thread);
      },
    });
  }

  #retire(thread: ThreadHandle): void {
    void this.#config.board?.retire(metricsSource(thread));
    thread.stats.restarts++;
    thread.stats.replaced();
  }

  /**
   * Answers for the requests a thread held as it went away. Those it never
   * started go to another thread; those it had started get `status` each. A
   * request with a body cannot go again: its buffer went to the thread.
   */
  #releaseHeld(thread: ThreadHandle, status: 500 | 503): void {
    const retry: Job[] = [];
    for (const job of thread.running.values()) {
      if (job.answered) continue;
      if (!job.hadBody && thread.neverStarted(job.seq)) {
        retry.push(job);
        continue;
      }
      job.state = CLOSED;
      sendError(job.res, status, status === 503 ? { retryAfter: RETRY_AFTER_S } : {});
      this.finish(job);
    }
    for (const job of thread.streams.values()) {
      job.state = CLOSED;
      job.res.destroy();
      this.finish(job);
    }
    thread.clear();
    for (const job of retry) {
      job.thread = undefined;
      const other = this.#pick(job);
      if (other) this.#run(other, job);
      else {
        // Admitted already, so it may go past maxQueue.
        job.state = QUEUED;
        this.queue.push(job);
      }
    }
  }

  #clientGone(job: Job): void {
    if (job.finished) return;
    switch (job.state) {
      case QUEUED:
        this.queue.removed();
        break;
      case RUNNING:
        job.answered = true;
        job.thread!.post({ t: ABORT, id: job.id, reason: 'client' });
        break;
      case STREAMING:
        job.thread!.streams.delete(job.id);
        job.thread!.post({ t: ABORT, id: job.id, reason: 'client' });
        break;
    }
    job.state = CLOSED;
    this.finish(job);
  }

  #expire(job: Job): void {
    const { logger, limits } = this.#config;
    switch (job.state) {
      case RECEIVING:
        // Node answers a client still sending with 408 itself; a body that
        // completes after this point is refused.
        job.expired = true;
        return;
      case QUEUED:
        this.queue.removed();
        logger.warn(`[switchyard] ${job.req.method} ${job.req.url} waited ${limits.requestTimeout} ms for a thread (limits.requestTimeout)`);
        this.#refuse(job);
        return;
      case RUNNING: {
        const thread = job.thread!;
        logger.warn(`[switchyard] ${job.req.method} ${job.req.url} timed out after ${limits.requestTimeout} ms (limits.requestTimeout)`);
        job.answered = true;
        job.state = CLOSED;
        // It has cost at least this much: later requests of its route wait for an idle thread.
        this.#costs.observed(job.route, limits.requestTimeout);
        sendError(job.res, 504);
        this.finish(job);
        thread.post({ t: ABORT, id: job.id, reason: 'timeout' });
        thread.checkStuck(this.#stuckGraceMs, (busyMs) => threadStuck(thread.id, limits.requestTimeout, busyMs));
        return;
      }
    }
  }
}
