/**
 * `serve()` for the cluster backend. The caller's process becomes the
 * primary: it listens, hands each connection to one of N processes that
 * each run the app in a reactor (balancer.ts), and supervises them
 * (supervised.ts).
 */
import { fileURLToPath } from 'node:url';
import { resolveOptions, type ServeOptions } from '@switchyard/core';
import { counter, gauge } from '@switchyard/core/node';
import { Balancer } from './balancer.js';
import { processSpawner } from './child.js';
import { resolveClusterOptions } from './options.js';
import type { SupervisedServer } from './stats.js';
import { serveSupervised } from './supervised.js';

export type ClusterServer = SupervisedServer;

const WORKER_ENTRY = fileURLToPath(new URL('./worker.js', import.meta.url));

/**
 * Runs the app in `workers` processes (default: env `WEB_CONCURRENCY`, else
 * the available parallelism). Resolves once every process is ready.
 */
export async function serve(input: ServeOptions): Promise<ClusterServer> {
  const options = resolveOptions(input);
  const clusterOptions = resolveClusterOptions(options.cluster);
  const balancer = new Balancer({
    maxQueue: options.limits.maxQueue,
    staleAfterMs: Math.min(2 * clusterOptions.heartbeatIntervalMs + 50, clusterOptions.heartbeatTimeoutMs),
    onError: (error) => options.logger.error('[switchyard] cluster: accepting a connection failed', error),
  });
  const primary = { backend: 'cluster', worker: '0' };
  return serveSupervised(options, {
    naming: { backend: 'cluster', noun: 'process' },
    supervision: clusterOptions,
    listen: () => balancer.listen(options.port, options.host),
    router: balancer,
    stopAccepting: () => balancer.stopAccepting(),
    rejectWaiting: () => balancer.rejectWaiting(),
    gauges: () => [
      gauge('switchyard_requests_queued', 'Connections the primary holds for a process: waiting for one, or handed over and not yet taken.', [
        { value: balancer.queued, labels: primary },
      ]),
      counter(
        'switchyard_connections_rejected_total',
        'Connections the primary answered with 503 because no process could take them (its queue full, or closing).',
        [{ value: balancer.rejected, labels: primary }],
      ),
    ],
    spawn: processSpawner(WORKER_ENTRY, clusterOptions.execArgv),
  });
}
