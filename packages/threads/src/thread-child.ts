import { Worker } from 'node:worker_threads';
import type { Spawn } from '@switchyard/cluster/supervision';
import type { ResourceLimits } from './options.js';

/**
 * Starts each context as a worker thread of this process, with what the
 * supervisor passes as its `workerData`. The supervisor talks to it as to a
 * forked process: messages instead of IPC, `terminate()` instead of a
 * signal (it stops a thread even in a synchronous loop).
 */
export function threadSpawner(entry: string, execArgv: string[] | undefined, resourceLimits: ResourceLimits): Spawn {
  return (init) => {
    const worker = new Worker(entry, { workerData: init, execArgv, resourceLimits });
    let exited = false;
    // An error nobody caught ends the thread: 'exit' follows, and the supervisor replaces it.
    worker.on('error', () => {});
    worker.once('exit', () => {
      exited = true;
    });
    return {
      label: `thread ${worker.threadId}`,
      pid: process.pid,
      get connected() {
        return !exited;
      },
      send: (message, _socket, done) => {
        worker.postMessage(message);
        done?.(null);
      },
      kill: () => {
        void worker.terminate();
      },
      onMessage: (listener) => {
        worker.on('message', listener);
      },
      onExit: (listener) => {
        worker.once('exit', (code) => listener(code, null));
      },
    };
  };
}
