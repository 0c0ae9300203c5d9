/**
 * A primary that supervises N contexts, each running the app in a reactor:
 * processes for this package, threads for `@switchyard/threads`. It binds
 * what `mode` says, relays channel messages between the contexts, reports
 * their log lines to the caller's logger (which cannot cross to them), and
 * answers stats, `/metrics`, readiness, reloads and shutdown.
 */
import { appUrl, LoopMonitor, onReloadSignal, onShutdownSignals, type CloseOptions, type ResolvedOptions, type SwitchyardError } from '@switchyard/core';
import { type MetricJson, openChannelBridge } from '@switchyard/core/node';
import type { Spawn } from './child.js';
import { gatherStats, type PrimaryFigures } from './gather-stats.js';
import type { ToPrimary } from './messages.js';
import { ClusterOps } from './ops.js';
import type { ResolvedClusterOptions } from './options.js';
import type { ProcessHandle } from './process-handle.js';
import type { SupervisedServer } from './stats.js';
import { type Naming, type Router, Supervisor } from './supervisor.js';
import { decodeArg } from './wire.js';

export type { SupervisedServer };

/** What differs between supervising processes and threads. */
export interface SupervisedMode {
  naming: Naming;
  supervision: ResolvedClusterOptions;
  /** Binds (or checks) the port; the contexts learn the address. */
  listen(): Promise<{ port: number; url: string }>;
  /** Who hands connections to the contexts, and what the primary holds of them. */
  router: Router & PrimaryFigures;
  /** Stops taking connections at the primary (nothing to do where the contexts own the port). */
  stopAccepting(): Promise<void>;
  /** Answers what still waits at the primary once nothing will serve it. */
  rejectWaiting(): void;
  /** The primary's own metrics. */
  gauges(): MetricJson[];
  spawn: Spawn;
}

export async function serveSupervised(options: ResolvedOptions, mode: SupervisedMode): Promise<SupervisedServer> {
  const { logger } = options;
  const { backend, noun } = mode.naming;
  // The instance's one link to other instances, held here and relayed to every context.
  const bridge = await openChannelBridge(options.channel, logger, backend);
  let address: { port: number; url: string };
  try {
    address = await mode.listen();
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

  /** Hands a channel message (v8-serialized, base64) to every context but the one that published it. */
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
      await mode.stopAccepting();
      await supervisor.stop(graceMs);
      mode.rejectWaiting();
      monitor.stop();
      await clusterOps.close();
      await bridge?.close();
    })();
    return closed;
  };

  const supervisor = new Supervisor({
    workers: options.workers,
    graceMs: options.graceMs,
    cluster: mode.supervision,
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
      heartbeatIntervalMs: mode.supervision.heartbeatIntervalMs,
      metrics: options.metrics,
      log: options.log,
      health: options.health,
    },
    spawn: mode.spawn,
    router: mode.router,
    naming: mode.naming,
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

  // Readiness and `/metrics` as the primary sees them: every context, merged here.
  const clusterOps = new ClusterOps(options, supervisor, backend, () => mode.gauges(), bridge);

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
    const many = `${options.workers} ${options.workers === 1 ? noun : noun === 'process' ? 'processes' : `${noun}s`}`;
    const removeHangup = onReloadSignal(reload, logger, 'rolling restart', `rolling restart of ${many}`);
    removeSignals = () => {
      removeShutdown();
      removeHangup();
    };
  }

  const statsTimeoutMs = Math.max(250, 2 * mode.supervision.heartbeatIntervalMs);
  return {
    url: address.url,
    port: address.port,
    backend,
    stats: async () => ({ ...(await gatherStats(supervisor, backend, mode.router, monitor, statsTimeoutMs)), ...(bridge && { channel: bridge.stats() }) }),
    reload,
    close: (closeOptions?: CloseOptions) => close(closeOptions?.graceMs),
    [Symbol.asyncDispose]: () => close(),
  };
}
