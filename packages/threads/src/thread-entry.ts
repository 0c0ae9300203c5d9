/**
 * The entry point of each thread: a reactor that binds the shared port
 * itself (reusePort), supervised through the cluster's worker runtime.
 */
import type { Server } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';
import { listenFailed, portInUse } from '@switchyard/core';
import { runWorker, type ToWorker, type WorkerInit } from '@switchyard/cluster/supervision';

if (!parentPort) throw new Error('@switchyard/threads: this module runs in threads started by the threads backend');
const port = parentPort;
const init = workerData as WorkerInit;

function bindShared(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(error.code === 'EADDRINUSE' ? portInUse(init.host, init.port, error) : listenFailed(init.host, init.port, error));
    };
    server.once('error', onError);
    server.listen({ port: init.port, host: init.host, reusePort: true }, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

await runWorker({
  init,
  backend: 'threads',
  send: (message, done) => {
    port.postMessage(message);
    done?.();
  },
  onMessage: (listener) => {
    port.on('message', (message: ToWorker) => listener(message));
  },
  bind: bindShared,
  ownsProcess: false,
});
