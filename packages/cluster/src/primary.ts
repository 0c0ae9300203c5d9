/**
 * `serve()` for the cluster backend. The caller's process becomes the
 * primary: it listens, supervises N processes that each run the app in a
 * reactor, relays channel messages between them, and reports their log
 * lines to the caller's logger (which cannot cross a process boundary).
 */
import { fileURLToPath } from 'node:url';
import {
  appUrl,
  LoopMonitor,
  onReloadSignal,
  onShutdownSignals,
  resolveOptions,
  type CloseOptions,
  type RunningServer,
  type ServeOptions,
  type SwitchyardError,
} from '@switchyard/core';
import { openChannelBridge } from '@switchyard/core/node';
import { Balancer } from './balancer.js';
import { ClusterOps } from './ops.js';
import type { ToPrimary } from './messages.js';
import { resolveClusterOptions } from './options.js';
import type { ProcessHandle } from './process-handle.js';
import { gatherStats } from './gather-stats.js';
import type { ClusterStats } from './stats.js';
import { Supervisor } from './supervisor.js';
import { decodeArg } from './wire.js';

export interface ClusterServer extends RunningServer {
  stats(): Promise<ClusterStats>;
  /**
   * Rolling restart, as on SIGHUP: one process at a time, each new one ready
   * before the old one drains. Rejects with `ERR_RELOAD_FAILED` (the old
   * processes keep serving) if a new process does not become ready.
   */
  reload(): Promise<void>;
}

const WORKER_ENTRY = fileURLToPath(new URL('./worker.js', import.meta.url));

/**
 * Runs the app in `workers` processes (default: env `WEB_CONCURRENCY`, else
 * the available parallelism). Resolves once every process is ready.
 */
export async function serve(input: ServeOptions): Promise<ClusterServer> {
  const options = resolveOptions(input);
  const clusterOptions = resolveClusterOptions(options.cluster);
  const { logger } = options;
  // The instance's one link to other instances, held here and relayed to every process.
  const bridge = await openChannelBridge(options.channel, logger);
  const balancer = new Balancer({
    maxQueue: options.limits.maxQueue,
    staleAfterMs: Math.min(2 * clusterOptions.heartbeatIntervalMs + 50, clusterOptions.heartbeatTimeoutMs),
    onError: (error) => logger.error('[switchyard] cluster: accepting a connection failed', error),
  });
  let address: Awaited<ReturnType<Balancer['listen']>>;
  try {
    address = await balancer.listen(options.port, options.host);
  } catch (error) {
    await bridge?.close();
    throw error;
  }

  const relay = (from: ProcessHandle, message: ToPrimary) => {
    if (clusterOps.handle(from, message)) return;
    if (message.type === 'publish') {
      deliver(from, message.channel, message.data);
      bridge?.publish(message.channel, Buffer.from(message.data, 'base64'));
    } else if (message.type === 'log') {
      logger[message.level](...message.args.map(decodeArg));
    }
  };

  /** Hands a channel message (v8-serialized, base64) to every process but the one that published it. */
  const deliver = (from: ProcessHandle | undefined, channel: string, data: string) => {
    for (const to of supervisor.processes()) {
      if (to !== from) to.send({ type: 'deliver', channel, data });
    }
  };
  bridge?.onMessage((channel, data) => deliver(undefined, channel, Buffer.from(data).toString('base64')));

  const monitor = new LoopMonitor();
  let closed: Promise<void> | undefined;
  let removeSignals: (() => void) | undefined;
  const close = (graceMs = options.graceMs): Promise<void> => {
    closed ??= (async () => {
      removeSignals?.();
      await balancer.stopAccepting();
      await supervisor.stop(graceMs);
      balancer.rejectWaiting();
      monitor.stop();
      await clusterOps.close();
      await bridge?.close();
    })();
    return closed;
  };

  const supervisor = new Supervisor({
    workers: options.workers,
    graceMs: options.graceMs,
    cluster: clusterOptions,
    init: {
      app: appUrl(options.app).href,
      host: options.host,
      port: address.port,
      url: address.url,
      limits: options.limits,
      graceMs: options.graceMs,
      fastGlobals: options.fastGlobals,
      unhandledErrors: options.unhandledErrors,
      healthPaths: options.healthPaths,
      heartbeatIntervalMs: clusterOptions.heartbeatIntervalMs,
      metrics: options.metrics,
      log: options.log,
      health: options.health,
    },
    exec: WORKER_ENTRY,
    balancer,
    logger,
    onMessage: relay,
    onStateChange: () => clusterOps.publishReadiness(),
    onProcessReady: (handle) => clusterOps.tellReadiness(handle),
    onProcessExit: (handle) => clusterOps.exited(handle),
    onFatal: (error: SwitchyardError) => {
      logger.error(`[switchyard] ${error.message}`);
      void close().finally(() => {
        // A server that owns its process (signals on, as under the CLI) exits non-zero, as supervisors expect.
        if (options.signals) process.exit(1);
      });
    },
  });

  // Readiness and `/metrics` as the primary sees them: every process, merged here.
  const clusterOps = new ClusterOps(options, supervisor, balancer, bridge);

  try {
    await clusterOps.listen();
    await supervisor.start();
  } catch (error) {
    await close(0);
    throw error;
  }

  const reload = () => supervisor.reload();
  if (options.signals) {
    const removeShutdown = onShutdownSignals(() => close(), logger);
    const processes = `${options.workers} process${options.workers === 1 ? '' : 'es'}`;
    const removeHangup = onReloadSignal(reload, logger, 'rolling restart', `rolling restart of ${processes}`);
    removeSignals = () => {
      removeShutdown();
      removeHangup();
    };
  }

  const statsTimeoutMs = Math.max(250, 2 * clusterOptions.heartbeatIntervalMs);
  return {
    url: address.url,
    port: address.port,
    backend: 'cluster',
    stats: async () => ({ ...(await gatherStats(supervisor, balancer, monitor, statsTimeoutMs)), ...(bridge && { channel: bridge.stats() }) }),
    reload,
    close: (closeOptions?: CloseOptions) => close(closeOptions?.graceMs),
    [Symbol.asyncDispose]: () => close(),
  };
}
