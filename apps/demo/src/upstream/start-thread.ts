import { Worker } from 'node:worker_threads';
import type { UpstreamService } from './service.js';

/** Starts the upstream service on a new thread; resolves with its URL once it listens. */
export function startUpstreamThread(): Promise<UpstreamService> {
  const worker = new Worker(new URL('./thread.js', import.meta.url));
  // Never the reason a process stays alive, should teardown not run.
  worker.unref();
  return new Promise((resolve, reject) => {
    const fail = (error: Error) => reject(new Error('The upstream service thread failed to start', { cause: error }));
    worker.once('error', fail);
    worker.once('exit', (code) => fail(new Error(`it exited with code ${code}`)));
    worker.once('message', (message: { url: string }) => {
      worker.removeAllListeners('exit');
      resolve({ url: message.url, close: () => worker.terminate().then(() => {}) });
    });
  });
}
