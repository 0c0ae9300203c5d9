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
export const STALL_MS = 10_000;

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
  readonly #timer: NodeJS.Timeout;

  private constructor(worker: Worker, timer: NodeJS.Timeout) {
    this.#worker = worker;
    this.#timer = timer;
  }

  /** Starts the thread and resolves once it listens; rejects as `listen` does when the port cannot be had. */
  static start(options: OpsThreadOptions): Promise<OpsThread> {
    const beat = new Int32Array(new SharedArrayBuffer(4));
    const since = Date.now();
    let published = options.notReady() ?? null;
    const data: OpsThreadData = {
      port: options.port,
      host: options.host,
      health: options.health,
      notReady: published,
      beat: beat.buffer as SharedArrayBuffer,
      since,
      stallMs: STALL_MS,
    };
    const worker = new Worker(new URL('./ops-thread-worker.js', import.meta.url), { workerData: data });
    const post = (message: ToOpsThread) => worker.postMessage(message);
    const timer = setInterval(() => {
      Atomics.store(beat, 0, beatNow(since));
      const notReady = options.notReady() ?? null;
      if (notReady !== published) post({ t: 'readiness', notReady: (published = notReady) });
    }, BEAT_MS);
    timer.unref();
    Atomics.store(beat, 0, beatNow(since));
    return new Promise((resolve, reject) => {
      const fail = (error: Error) => {
        clearInterval(timer);
        void worker.terminate();
        reject(error);
      };
      worker.once('error', fail);
      worker.on('message', (message: FromOpsThread) => {
        if (message.t === 'listening') {
          worker.off('error', fail);
          // Anything the thread throws later is a defect of its own: logged, and the server goes on.
          worker.on('error', (error) => options.logger.error('[switchyard] the metrics port thread failed', error));
          resolve(new OpsThread(worker, timer));
        } else if (message.t === 'failed') {
          const cause = Object.assign(new Error(message.message), { code: message.code });
          fail(message.code === 'EADDRINUSE' ? portInUse(options.host, options.port, cause) : listenFailed(options.host, options.port, cause));
        } else if (message.t === 'readiness?') {
          post({ t: 'readiness', notReady: (published = options.notReady() ?? null) });
        } else {
          options.scrape(message.openMetrics).then(
            ({ body, contentType }) => post({ t: 'scraped', id: message.id, body, contentType }),
            (error: unknown) => {
              options.logger.error('[switchyard] /metrics failed', error);
              post({ t: 'scraped', id: message.id, error: String(error) });
            },
          );
        }
      });
    });
  }

  /** Closes the port and ends the thread. */
  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.#worker.terminate();
  }
}
