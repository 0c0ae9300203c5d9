/**
 * Runs inside each pool thread. piscina starts the thread and hands it one
 * task, this session, which lasts as long as the thread: it loads the app,
 * runs `setup`, then serves requests that arrive on its own MessagePort,
 * many at a time, until the main thread says CLOSE. Requests do not go
 * through piscina's task queue: one `run()` costs about 15-22 us of main
 * thread time, a message on a dedicated port about 2 us.
 */
import { performance } from 'node:perf_hooks';
import { receiveMessageOnPort, threadId, type MessagePort } from 'node:worker_threads';
import {
  ChannelHub,
  clientGone,
  loadApp,
  createSetupContext,
  useFastGlobals,
  RequestContext,
  requestTimedOut,
  serverShuttingDown,
  type App,
  type ContextBase,
} from '@switchyard/core';
import { appMetricsJson, LoopGauges, resolveSocketOptions, TURN_BUDGET_MS } from '@switchyard/core/node';
import { toErrorData } from './errors.js';
import {
  ABORT,
  ACTIVATE,
  CLOSE,
  CREDIT,
  DELIVER,
  DROPPED,
  FAILED,
  METRICS,
  PUBLISH,
  READY,
  REQUEST,
  SETUP_FAILED,
  SHUTDOWN,
  SOCKET_EVENT,
  STANDBY,
  UPGRADE,
  type ActivateMessage,
  type FromThread,
  type RequestMessage,
  type SessionTask,
  type ToThread,
} from './messages.js';
import { Outbox } from './outbox.js';
import { lowerThreadPriority } from './priority.js';
import { SessionProgress } from './progress.js';
import { reply, type StreamPump } from './reply.js';
import { ThreadRequest } from './request.js';
import { ThreadSockets } from './thread-sockets.js';

/**
 * Answers are batched per event-loop turn, but a port fed steadily keeps a
 * thread's loop in one turn: past this, what is waiting goes out at once.
 */
const FLUSH_AFTER_MS = 0.5;
/** How often a thread holding requests or streams that wait on I/O beats (see SessionProgress). */
const BEAT_MS = 1;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  return `an object (${value.constructor?.name ?? 'no prototype'})`;
}

class Session {
  readonly #task: SessionTask;
  readonly #port: MessagePort;
  readonly #out: Outbox<FromThread>;
  readonly #hub: ChannelHub;
  #base: ContextBase | undefined;
  #setupContext: RequestContext | undefined;
  /** Resolves a standby's wait for ACTIVATE. */
  #activated: ((message: ActivateMessage) => void) | undefined;
  readonly #contexts = new Map<number, RequestContext>();
  readonly #pumps = new Map<number, StreamPump>();
  /** Requests that arrived and have not started, in arrival order; `#waitingIds` holds those still wanted. */
  readonly #waiting: RequestMessage[] = [];
  #waitingHead = 0;
  readonly #waitingIds = new Set<number>();
  #resumeScheduled = false;
  #app: App | undefined;
  /** The WebSockets bound to this thread; undefined when the app takes none. */
  #sockets: ThreadSockets | undefined;
  #ended: (() => void) | undefined;
  readonly #progress: SessionProgress;
  /** Added to this thread's `performance.now()` to give the main thread's clock. */
  readonly #clockOffset: number;
  /**
   * When the thread last did something for a request (started, finished,
   * returned from a handler, or beat on the timer): a handler that settles
   * later cost its sync part plus the time since then, the continuation
   * that settled it.
   */
  #lastMark = 0;
  #beating: NodeJS.Timeout | undefined;
  readonly #tick = () => {
    if (this.#contexts.size > 0) this.#mark();
    else {
      clearInterval(this.#beating);
      this.#beating = undefined;
    }
  };

  constructor(task: SessionTask) {
    this.#task = task;
    this.#port = task.port;
    this.#out = new Outbox(task.port);
    this.#progress = new SessionProgress(task.progress);
    this.#clockOffset = performance.timeOrigin - task.clockOrigin;
    // Sent at once, not batched: a message that cannot be cloned throws at the publish() call.
    this.#hub = new ChannelHub((name, message) => this.#port.postMessage({ t: PUBLISH, name, message }));
  }

  async run(): Promise<void> {
    const ended = new Promise<void>((resolve) => (this.#ended = resolve));
    const take = (batch: ToThread[]) => {
      for (const message of batch) {
        if (message.t === REQUEST) {
          this.#waiting.push(message);
          this.#waitingIds.add(message.id);
          continue;
        }
        this.#onMessage(message);
        this.#out.flushIfOlderThan(FLUSH_AFTER_MS);
      }
    };
    this.#port.on('message', (batch: ToThread[]) => {
      take(batch);
      // Everything the port holds is read before anything starts: a thread that was busy finds a request
      // and, in a later batch, its abort (the client left while it waited), which must count first.
      for (let more = receiveMessageOnPort(this.#port); more; more = receiveMessageOnPort(this.#port)) take(more.message as ToThread[]);
      if (this.#resumeScheduled) this.#beatWhileWaiting();
      else this.#runWaiting();
    });
    try {
      // Before the app loads: a module may keep the global Response it sees at import. The thread never gives them back.
      if (this.#task.fastGlobals) useFastGlobals();
      this.#app = await loadApp(this.#task.app);
      const socketOptions = resolveSocketOptions(this.#app.websocket, this.#task.maxBodySize);
      if (socketOptions) this.#sockets = new ThreadSockets(this.#app.websocket!, socketOptions, this.#out);
      let workerId = this.#task.workerId;
      if (workerId === 0) {
        // A standby: the app is loaded; setup waits until this thread replaces a lost one.
        // It stays at full priority until then: a thread cannot raise its priority back.
        const activation = new Promise<ActivateMessage>((resolve) => (this.#activated = resolve));
        this.#port.postMessage({ t: STANDBY, threadId });
        const activated = await activation;
        workerId = activated.workerId;
        lowerThreadPriority(activated.niceIncrement);
      } else lowerThreadPriority(this.#task.niceIncrement);
      const sockets = this.#sockets;
      this.#base = { backend: 'pool', workerId, hub: this.#hub, ...(sockets && { publish: (topic, data) => sockets.publish(topic, data) }) };
      this.#setupContext = createSetupContext(this.#base);
      await this.#app.setup?.(this.#setupContext);
    } catch (error) {
      this.#port.postMessage({ t: SETUP_FAILED, error: toErrorData(error) });
      // The main thread terminates this thread, so a retry starts clean.
      return new Promise<void>(() => {});
    }
    this.#port.postMessage(this.#sockets ? { t: READY, threadId, websocket: this.#sockets.options } : { t: READY, threadId });
    this.#reportMetrics();
    return ended;
  }

  /** Sends this thread's event-loop figures and the app's own metrics now and then; the main thread merges them into `/metrics`. */
  #reportMetrics(): void {
    const every = this.#task.metricsIntervalMs;
    if (every <= 0) return;
    const loop = new LoopGauges();
    const labels = { backend: 'pool', worker: String(this.#base!.workerId) };
    const report = () => void appMetricsJson().then((app) => this.#port.postMessage({ t: METRICS, metrics: [...loop.toJson(labels, false), ...app] }));
    report();
    setInterval(report, every).unref();
  }

  /**
   * Runs the requests that arrived, in order, for up to TURN_BUDGET_MS; the rest
   * wait for the next turn of the loop, so that the port is read in between
   * and a request whose client left while it waited here is dropped, not run.
   */
  readonly #runWaiting = (): void => {
    this.#resumeScheduled = false;
    const waiting = this.#waiting;
    const turnStart = performance.now();
    // One clock read per request: the one taken as each handler returns.
    let now = turnStart;
    while (this.#waitingHead < waiting.length) {
      if (now - turnStart >= TURN_BUDGET_MS) {
        if (this.#waitingHead > 1024 && this.#waitingHead * 2 > waiting.length) {
          // Under lasting load the list never empties: drop the slots already run.
          waiting.splice(0, this.#waitingHead);
          this.#waitingHead = 0;
        }
        this.#resumeScheduled = true;
        setImmediate(this.#runWaiting);
        this.#beatWhileWaiting();
        return;
      }
      const message = waiting[this.#waitingHead]!;
      waiting[this.#waitingHead++] = undefined as unknown as RequestMessage;
      if (!this.#waitingIds.delete(message.id)) {
        // Aborted while it waited: it counts as started (the main thread's order), and is dropped.
        this.#progress.start(message.seq);
        this.#out.push({ t: DROPPED, id: message.id });
        continue;
      }
      const start = now;
      this.#handle(message);
      now = this.#mark();
      // A handler that held the loop this long answers now, not after the requests queued behind it.
      if (now - start >= FLUSH_AFTER_MS) this.#out.flush();
      else this.#out.flushIfOlderThan(FLUSH_AFTER_MS);
    }
    waiting.length = 0;
    this.#waitingHead = 0;
    this.#beatWhileWaiting();
  };

  /** Requests and streams waiting on I/O: beat while they wait, so the main thread can tell waiting from working. */
  #beatWhileWaiting(): void {
    if (this.#beating || this.#contexts.size === 0) return;
    this.#beating = setInterval(this.#tick, BEAT_MS);
    this.#beating.unref();
  }

  #onMessage(message: ToThread): void {
    switch (message.t) {
      case CREDIT:
        this.#pumps.get(message.id)?.credit(message.bytes);
        break;
      case ABORT: {
        const reason = message.reason === 'client' ? clientGone() : requestTimedOut(this.#task.requestTimeout);
        const ctx = this.#contexts.get(message.id);
        if (!ctx) {
          // Not started yet: it is dropped when its turn comes (#runWaiting).
          this.#waitingIds.delete(message.id);
          break;
        }
        ctx.abort(reason);
        const pump = this.#pumps.get(message.id);
        if (pump) pump.cancel(reason);
        else {
          // The handler may never settle: free the request's slot now.
          this.#contexts.delete(message.id);
          this.#out.push({ t: DROPPED, id: message.id });
        }
        break;
      }
      case DELIVER:
        this.#hub.deliver(message.name, message.message);
        break;
      case ACTIVATE:
        this.#activated?.(message);
        this.#activated = undefined;
        break;
      case SHUTDOWN:
        this.#setupContext?.abort(serverShuttingDown());
        break;
      case CLOSE:
        void this.#close();
        break;
      case SOCKET_EVENT:
        this.#sockets?.event(message);
        break;
    }
  }

  #handle(message: RequestMessage): void {
    const { id } = message;
    // The beat first: when the main thread sees this request started, it reads when.
    const start = this.#mark();
    this.#progress.start(message.seq);
    const sockets = this.#sockets;
    const ctx = new RequestContext(
      this.#base!,
      message.upgrade && sockets ? { watchClient() {}, upgrade: (options) => sockets.upgrade(id, options) } : undefined,
    );
    this.#contexts.set(id, ctx);
    const request = new ThreadRequest(message, () => ctx.signal);
    let result: unknown;
    try {
      result = this.#app!.fetch(request as unknown as Request, ctx);
    } catch (error) {
      const ms = performance.now() - start;
      this.#fail(id, { runMs: ms, costMs: ms }, error);
      return;
    }
    if (result instanceof Response || typeof (result as Promise<unknown> | null)?.then !== 'function') {
      const ms = performance.now() - start;
      this.#finish(id, result, { runMs: ms, costMs: ms });
      return;
    }
    const syncMs = (this.#lastMark = performance.now()) - start;
    const timing = () => {
      const now = performance.now();
      const costMs = syncMs + (now - this.#lastMark);
      this.#mark();
      return { runMs: now - start, costMs };
    };
    (result as Promise<unknown>).then(
      (response) => this.#finish(id, response, timing()),
      (error: unknown) => this.#fail(id, timing(), error),
    );
  }

  /** Records that the loop is moving now: the local mark and the beat the main thread reads. */
  #mark(): number {
    const now = performance.now();
    this.#lastMark = now;
    this.#progress.setBeat(now + this.#clockOffset);
    return now;
  }

  #finish(id: number, response: unknown, timing: { runMs: number; costMs: number }): void {
    if (!this.#contexts.has(id)) {
      this.#sockets?.drop(id);
      // Dropped (the client left, the request timed out) or the server is closing: nobody reads this body.
      if (response instanceof Response) response.body?.cancel().catch(() => {});
      return;
    }
    const accepted = this.#sockets?.takeAccepted(id);
    if (accepted) {
      // Accepted as a WebSocket: the main thread completes the handshake; what fetch returned is not sent.
      if (response instanceof Response) response.body?.cancel().catch(() => {});
      this.#contexts.delete(id);
      this.#out.push({ t: UPGRADE, id, headers: accepted.headers, ...timing });
      return;
    }
    if (!(response instanceof Response)) {
      this.#contexts.delete(id);
      this.#out.push({ t: FAILED, id, returned: describe(response), ...timing });
      return;
    }
    let pump: StreamPump | undefined;
    try {
      pump = reply(this.#out, id, response, timing, this.#task.streamWindow);
    } catch (error) {
      this.#fail(id, timing, error);
      return;
    }
    if (!pump) {
      this.#contexts.delete(id);
      return;
    }
    // The context lives as long as the stream: the client leaving aborts both.
    this.#pumps.set(id, pump);
    void pump.done.then(() => {
      this.#pumps.delete(id);
      this.#contexts.delete(id);
    });
  }

  #fail(id: number, timing: { runMs: number; costMs: number }, error: unknown): void {
    this.#sockets?.drop(id);
    // A request already dropped was answered by the main thread; its late failure has nobody to reach.
    if (!this.#contexts.delete(id)) return;
    this.#out.push({ t: FAILED, id, error: toErrorData(error), ...timing });
  }

  async #close(): Promise<void> {
    const reason = serverShuttingDown();
    for (const ctx of this.#contexts.values()) ctx.abort(reason);
    for (const pump of this.#pumps.values()) pump.cancel(reason);
    this.#contexts.clear();
    this.#setupContext?.abort(reason);
    try {
      await this.#app?.teardown?.();
    } finally {
      this.#out.flush();
      this.#port.close();
      this.#ended?.();
    }
  }
}

/**
 * The piscina task: one per thread, for the thread's whole life. Once it
 * ends, the thread does too: its module cache holds the app as it was,
 * and the session that replaces it (after a reload, say) must import the
 * app anew. piscina starts a fresh thread in its place.
 */
export default async function session(task: SessionTask): Promise<void> {
  await new Session(task).run();
  process.exit(0);
}
