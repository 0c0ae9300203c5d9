/**
 * The entry point of each process the cluster primary forks: it reads what
 * the primary passed in its environment and runs the context
 * (worker-runtime.ts) over node:cluster's IPC channel.
 */
import { type AcceptedHandle, socketOver } from './accepted.js';
import { INIT_ENV, type ToWorker, type WorkerInit } from './messages.js';
import { runWorker } from './worker-runtime.js';

const init = JSON.parse(process.env[INIT_ENV] ?? 'null') as WorkerInit | null;
if (!init || !process.send) throw new Error('@switchyard/cluster: this module runs in processes forked by the cluster primary');
// The app has no use for it, and its own children should not inherit it.
delete process.env[INIT_ENV];

await runWorker({
  init,
  backend: 'cluster',
  send: (message, done) => {
    if (!process.connected) return done?.();
    process.send!(message, undefined, {}, () => done?.());
  },
  onMessage: (listener) => {
    // The primary passes each connection as a bare handle (accepted.ts): the socket is made here.
    process.on('message', (message: ToWorker, handle?: AcceptedHandle) => listener(message, handle && socketOver(handle)));
  },
  ownsProcess: true,
});
