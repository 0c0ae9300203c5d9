/**
 * The metrics port (`metrics: <port>`) on a thread of its own. Served by
 * the thread that serves the app, a probe waited on that thread's event
 * loop: behind a flood's thousands of connections (a few hundred ms a
 * turn), or the close of 2,000 of them at once (60-90 ms, Node's own
 * work). Here liveness and readiness are answered from what the serving
 * thread last published: its readiness (asked afresh first, for a few ms:
 * ops-thread-worker.ts), and a beat it stamps in shared memory every
 * BEAT_MS. `/metrics` asks the serving thread, and waits for it.
 */
import { Worker } from 'node:worker_threads';
import { listenFailed, portInUse } from '../errors.js';
import type { Logger } from '../types.js';
import type { Scrape } from './endpoints.js';
import type { HealthPaths } from './options.js';
import { beatNow, type FromOpsThread, type OpsThreadData, type ToOpsThread } from './ops-thread-protocol.js';

/** How often the serving thread stamps its beat and publishes a change of readiness. */
const BEAT_MS = 25;
/** Liveness fails once the serving loop has not turned for this long: the CLI supervisor's default watchdog. */
const STALL_MS = 10_000;

export interface OpsThreadOptions {
  port: number;
  host: string;
  health: HealthPaths | undefined;
  notReady: () => string | undefined;
  scrape: (openMetrics: boolean) => Promise<Scrape>;
  logger: Logger;
}

export class OpsThread {
  readonly #worker: Worker;
  readonly #options: OpsThreadOptions;
  readonly #beat = new Int32Array(new SharedArrayBuffer(4));
  readonly #since = Date.now();
  readonly #timer: NodeJS.Timeout;
  /** The readiness the thread last heard. */
  #published: string | null;

  private constructor(options: OpsThreadOptions) {
    this.#options = options;
    this.#published = options.notReady() ?? null;
    this.#stamp();
    const data: OpsThreadData = {
      port: options.port,
      host: options.host,
      health: options.health,
      notReady: this.#published,
      beat: this.#beat.buffer as SharedArrayBuffer,
      since: this.#since,
      stallMs: STALL_MS,
    };
    this.#worker = new Worker(new URL('./ops-thread-worker.js', import.meta.url), { workerData: data });
    this.#timer = setInterval(() => {
      this.#stamp();
      this.publish();
    }, BEAT_MS);
    this.#timer.unref();
  }

  /** Starts the thread and resolves once it listens; rejects as `listen` does when the port cannot be had. */
  static start(options: OpsThreadOptions): Promise<OpsThread> {
    const thread = new OpsThread(options);
    const worker = thread.#worker;
    return new Promise((resolve, reject) => {
      const fail = (error: Error) => {
        void thread.close();
        reject(error);
      };
      worker.once('error', fail);
      worker.on('message', (message: FromOpsThread) => {
        if (message.t === 'listening') {
          worker.off('error', fail);
          // Anything the thread throws later is a defect of its own: logged, and the server goes on.
          worker.on('error', (error) => options.logger.error('[switchyard] the metrics port thread failed', error));
          resolve(thread);
        } else if (message.t === 'failed') {
          const cause = Object.assign(new Error(message.message), { code: message.code });
          fail(message.code === 'EADDRINUSE' ? portInUse(options.host, options.port, cause) : listenFailed(options.host, options.port, cause));
        } else if (message.t === 'readiness?') thread.#post({ t: 'readiness', notReady: (thread.#published = options.notReady() ?? null) });
        else thread.#scrape(message.id, message.openMetrics);
      });
    });
  }

  /**
   * Tells the thread the readiness now, if it changed. Called as the server
   * starts or stops serving, so that a loop held right after cannot leave
   * the thread with the old one, and every BEAT_MS for changes that come
   * with time (a suspected crash loop ending).
   */
  publish(): void {
    const notReady = this.#options.notReady() ?? null;
    if (notReady !== this.#published) this.#post({ t: 'readiness', notReady: (this.#published = notReady) });
  }

  /** Closes the port and ends the thread. */
  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.#worker.terminate();
  }

  #stamp(): void {
    Atomics.store(this.#beat, 0, beatNow(this.#since));
  }

  #post(message: ToOpsThread): void {
    this.#worker.postMessage(message);
  }

  #scrape(id: number, openMetrics: boolean): void {
    this.#options.scrape(openMetrics).then(
      ({ body, contentType }) => this.#post({ t: 'scraped', id, body, contentType }),
      (error: unknown) => {
        this.#options.logger.error('[switchyard] /metrics failed', error);
        this.#post({ t: 'scraped', id, error: String(error) });
      },
    );
  }
}
