/**
 * `serve()` for the threads backend: N worker threads of this process, each
 * a reactor listening on the same port (reusePort), the kernel spreading
 * connections among them. This thread supervises them with the cluster's
 * supervision (`@switchyard/cluster/supervision`): the same back-off,
 * crash-loop stop, heartbeat watchdog, rolling restart, stats and metrics.
 */
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { invalidOption, resolveOptions, type ServeOptions } from '@switchyard/core';
import { listen, threadExecArgv } from '@switchyard/core/node';
import type { ClusterStats, SupervisedServer } from '@switchyard/cluster';
import { resolveClusterOptions, serveSupervised } from '@switchyard/cluster/supervision';
import { resolveResourceLimits, THREADS_OWN_OPTIONS } from './options.js';
import { reusePortMissing, reusePortUnsupported } from './support.js';
import { threadSpawner } from './thread-child.js';

export interface ThreadsServer extends SupervisedServer {
  stats(): Promise<ClusterStats>;
}

const ENTRY = fileURLToPath(new URL('./thread-entry.js', import.meta.url));

/** Nobody routes connections here: each thread's own listener takes them from the kernel. */
const SHARED_PORT = { add() {}, remove() {}, acknowledged() {}, exited() {}, queued: 0, rejected: 0 };

/**
 * Checks that the port is free (a listener of another program, even one
 * that shares ports itself, makes this bind fail) and, for port 0, picks
 * one; the threads then bind it together. Without this, a second server on
 * the same port would silently share its traffic.
 */
async function claimPort(port: number, host: string): Promise<{ port: number; url: string }> {
  const probe = createServer();
  const address = await listen(probe, port, host);
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return address;
}

/**
 * Runs the app in `workers` threads (default: env `WEB_CONCURRENCY`, else
 * the available parallelism). Fails at once with `ERR_REUSEPORT_UNSUPPORTED`
 * where Node cannot share a port among listeners. Resolves once every thread
 * is ready.
 */
export async function serve(input: ServeOptions): Promise<ThreadsServer> {
  const options = resolveOptions(input);
  const supervision = resolveClusterOptions(options.threads, 'threads', THREADS_OWN_OPTIONS);
  const resourceLimits = resolveResourceLimits(options.threads.resourceLimits);
  if (supervision.maxRssBytes > 0) {
    throw invalidOption('threads.maxRssBytes', '0 (threads share one process, so no thread has an RSS of its own)', supervision.maxRssBytes);
  }
  const missing = reusePortMissing();
  if (missing) throw reusePortUnsupported(missing);
  return serveSupervised(options, {
    naming: { backend: 'threads', noun: 'thread' },
    supervision,
    listen: () => claimPort(options.port, options.host),
    router: SHARED_PORT,
    stopAccepting: async () => {},
    rejectWaiting: () => {},
    gauges: () => [],
    // This process's flags (inherited) and NODE_OPTIONS' preloads (`--import tsx`), unless told otherwise (`threads.execArgv`).
    spawn: threadSpawner(ENTRY, options.threads.execArgv === undefined ? threadExecArgv() : supervision.execArgv, resourceLimits),
  });
}
