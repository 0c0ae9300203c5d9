/**
 * What the supervisor holds of one context it started. For this package a
 * process forked with node:cluster; `@switchyard/threads` gives the same
 * supervisor worker threads, so back-off, crash loops, heartbeats, rolling
 * restarts, stats and metrics are written once.
 */
import type { SendHandle } from 'node:child_process';
import cluster from 'node:cluster';
import type { AcceptedHandle } from './accepted.js';
import { INIT_ENV, type ToPrimary, type ToWorker, type WorkerInit } from './messages.js';

export interface Child {
  /** Names it in logs and metrics: `pid 123`, `thread 4`. */
  readonly label: string;
  /** Its process id (a thread's is its process's). */
  readonly pid: number;
  /** False once it can no longer receive. */
  readonly connected: boolean;
  /** Sends `message`, with a connection to hand over (processes only); `done` hears whether it went. May throw when it cannot. */
  send(message: ToWorker, connection: AcceptedHandle | undefined, done?: (error: Error | null) => void): void;
  /** Ends it: with `signal` for a process; a thread is terminated, whatever the signal. */
  kill(signal: NodeJS.Signals): void;
  onMessage(listener: (message: ToPrimary) => void): void;
  onExit(listener: (code: number | null, signal: NodeJS.Signals | null) => void): void;
}

/** How the supervisor starts the context for `init`. */
export type Spawn = (init: WorkerInit) => Child;

/** Forks `exec` with node:cluster, passing `init` in its environment. */
export function processSpawner(exec: string, execArgv: string[]): Spawn {
  return (init) => {
    // Settings are global to node:cluster; set them before each fork so two servers in one process agree.
    // JSON, not 'advanced': with handles in flight, Node 20's advanced IPC stalls (nodejs/node#55834).
    cluster.setupPrimary({ exec, args: [], execArgv, serialization: 'json' });
    const worker = cluster.fork({ [INIT_ENV]: JSON.stringify(init) });
    // A broken channel shows up as 'exit' too; the error itself adds nothing.
    worker.on('error', () => {});
    const pid = worker.process.pid ?? 0;
    return {
      label: `pid ${pid}`,
      pid,
      get connected() {
        return worker.isConnected();
      },
      send: (message, connection, done) => {
        // A bare handle stays open in the primary until the process acknowledges it (Balancer.acknowledged).
        worker.send(message, connection as unknown as SendHandle, done);
      },
      kill: (signal) => {
        worker.process.kill(signal);
      },
      onMessage: (listener) => {
        worker.on('message', listener);
      },
      onExit: (listener) => {
        worker.once('exit', listener);
      },
    };
  };
}
