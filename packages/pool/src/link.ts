/**
 * The main thread's end of one session: a piscina task that lasts as long
 * as its thread. It owns the MessagePort requests travel on, the counter
 * the thread writes as it starts requests, and the AbortController whose
 * abort makes piscina terminate the thread.
 */
import { performance } from 'node:perf_hooks';
import { MessageChannel, type MessagePort, type Worker } from 'node:worker_threads';
import type { SocketOptions } from '@switchyard/core/node';
import type { Piscina } from 'piscina';
import { fromErrorData } from './errors.js';
import { ACTIVATE, CLOSE, READY, SETUP_FAILED, STANDBY, type FromThread, type SessionTask, type ToThread } from './messages.js';
import { Outbox } from './outbox.js';
import { SessionProgress } from './progress.js';

export interface LinkConfig {
  pool: Piscina;
  app: string;
  streamWindow: number;
  requestTimeout: number;
  /** limits.maxBodySize: the default largest WebSocket message. */
  maxBodySize: number;
  niceIncrement: number;
  fastGlobals: boolean;
  /** See `SessionTask.metricsIntervalMs`. */
  metricsIntervalMs: number;
}

/** How a session ended: `error` is undefined when it ended because it was asked to. */
export interface LinkEnd {
  error: unknown;
}

export class SessionLink {
  /** What the thread writes as it goes: the last request it started, and its beat. */
  readonly progress = new SessionProgress();
  /** Settles when the session is over, however it ended. Never rejects. */
  readonly ended: Promise<LinkEnd>;
  /** Resolves once the thread is up: READY (or STANDBY for a standby); rejects if it fails first. */
  readonly up: Promise<void>;
  worker: Worker | undefined;
  /** The app's `websocket` settings, as the thread checked them when it became ready; undefined when it takes none. */
  socketOptions: SocketOptions | undefined;
  /** Where messages other than READY/STANDBY/SETUP_FAILED go. */
  onMessage: (message: FromThread) => void = () => {};
  readonly #port: MessagePort;
  readonly #outbox: Outbox<ToThread>;
  readonly #controller = new AbortController();
  readonly #pool: Piscina;
  #closed = false;
  #closeAsked = false;
  #lastIdle = -1;
  #idleAt = performance.now();
  /** Settles the wait for the next READY (or STANDBY); failures reject it. */
  #markUp: () => void = () => {};
  #failUp: (error: Error) => void = () => {};

  constructor(config: LinkConfig, workerId: number) {
    const { port1, port2 } = new MessageChannel();
    this.#port = port1;
    this.#outbox = new Outbox(port1);
    this.#pool = config.pool;
    this.up = this.#nextUp();
    port1.on('message', (message: FromThread | FromThread[]) => {
      if (Array.isArray(message)) {
        for (const one of message) this.onMessage(one);
      } else if (message.t === READY || message.t === STANDBY) {
        this.worker = this.#pool.threads.find((worker) => worker.threadId === message.threadId);
        if (message.t === READY && message.websocket) this.socketOptions = message.websocket;
        this.#markUp();
      } else if (message.t === SETUP_FAILED) {
        this.#failUp(fromErrorData(message.error));
        // Terminate it, so a retry loads the app in a clean thread.
        this.terminate();
      } else {
        this.onMessage(message);
      }
    });
    const task: SessionTask = {
      workerId,
      port: port2,
      app: config.app,
      streamWindow: config.streamWindow,
      requestTimeout: config.requestTimeout,
      maxBodySize: config.maxBodySize,
      niceIncrement: config.niceIncrement,
      fastGlobals: config.fastGlobals,
      progress: this.progress.buffer,
      clockOrigin: performance.timeOrigin,
      metricsIntervalMs: config.metricsIntervalMs,
    };
    this.ended = config.pool.run(task, { transferList: [port2], signal: this.#controller.signal }).then(
      () => ({ error: undefined }),
      (error: unknown) => ({ error }),
    );
    void this.ended.then(({ error }) => {
      this.#release();
      this.#failUp(error instanceof Error ? error : new Error(`the thread ended before it was ready (${String(error)})`));
    });
  }

  /** Makes a standby session thread `workerId`, lowered by `niceIncrement`; resolves once its `setup` has run. */
  activate(workerId: number, niceIncrement: number): Promise<void> {
    const up = this.#nextUp();
    this.post({ t: ACTIVATE, workerId, niceIncrement });
    return up;
  }

  #nextUp(): Promise<void> {
    const up = new Promise<void>((resolve, reject) => {
      this.#markUp = resolve;
      this.#failUp = reject;
    });
    // A failed start is reported through the promise returned; nobody need wait on it otherwise.
    up.catch(() => {});
    return up;
  }

  /** Queues `message` for the thread; the turn's messages go together. */
  post(message: ToThread, transfer?: ArrayBuffer): void {
    if (message.t === CLOSE) this.#closeAsked = true;
    if (!this.#closed) this.#outbox.push(message, transfer);
  }

  /** Whether the session was asked to end (shutdown, reload), rather than failing. */
  get closeAsked(): boolean {
    return this.#closeAsked;
  }

  /** Ends the thread now: piscina terminates it and starts another in its place. */
  terminate(): void {
    this.#controller.abort();
  }

  /**
   * Terminates the thread once it is up (or gone), waiting at most `ms`:
   * terminating a thread while it is still importing ES modules aborts the
   * whole process on Node 20 (a V8 fatal error).
   */
  async settleThenTerminate(ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
    await Promise.race([this.up.catch(() => {}), this.ended, late]);
    clearTimeout(timer);
    this.terminate();
  }

  /**
   * When the thread's event loop was last seen idle (to within the sampling
   * period). The loop's idle time keeps growing while it waits for work and
   * stops while a task holds it, so a thread whose idle time has not moved
   * for a while is stuck in synchronous code.
   */
  idleSince(now: number): number {
    this.sample(now);
    return this.#idleAt;
  }

  /** Reads the thread's idle time (about 1.5 us; the dispatcher calls it on a timer). */
  sample(now: number): void {
    if (!this.worker) return;
    const idle = this.worker.performance.eventLoopUtilization().idle;
    if (idle !== this.#lastIdle) {
      this.#lastIdle = idle;
      this.#idleAt = now;
    }
  }

  #release(): void {
    this.#closed = true;
    this.#port.close();
    this.worker = undefined;
  }
}
