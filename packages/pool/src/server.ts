import { fileURLToPath } from 'node:url';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Piscina } from 'piscina';
import { appUrl, LoopMonitor, onReloadSignal, resolveOptions, type RunningServer, type ServeOptions, type ServerStats } from '@switchyard/core';
import {
  afterNextPoll,
  channelMetrics,
  createHttpServer,
  listen,
  openChannelBridge,
  readBody,
  requestHasBody,
  resumedAfterHoldOff,
  RunnerOps,
  ServerLifecycle,
  threadExecArgv,
  type MetricJson,
} from '@switchyard/core/node';
import { Dispatcher } from './dispatch.js';
import { poolGauges } from './ops.js';
import { resolvePoolOptions } from './options.js';
import type { PoolWorkerStats } from './stats.js';

/** `stats()` of the pool: the common figures, each thread's, and the pool's own. */
export interface PoolStats extends ServerStats {
  workers: PoolWorkerStats[];
  pool: {
    /** Serving threads (`workers`), not counting the express lane. */
    threads: number;
    /** Whether an express-lane thread runs beside them; it is the last entry of `workers`. */
    expressLane: boolean;
    /** Requests waiting on the main thread for a thread. */
    queued: number;
    /** Requests refused with 503: queue full, or waited past the request timeout. */
    rejected: number;
    concurrentTasksPerWorker: number;
  };
}

export interface RunningPool extends RunningServer {
  stats(): Promise<PoolStats>;
  /**
   * Reload, as on SIGHUP: each thread in turn gets a session that imports
   * the app anew, loaded before the old one stops taking requests. Rejects
   * with `ERR_RELOAD_FAILED` (the threads serve on with the app as it was)
   * if the app does not load.
   */
  reload(): Promise<void>;
}

// A CommonJS entry that imports worker.js inside the task (see thread-entry.cjs for why).
const WORKER_FILE = fileURLToPath(new URL('../thread-entry.cjs', import.meta.url));

/**
 * Runs the app on piscina worker threads. The main thread accepts
 * connections, parses requests, enforces limits and buffers bodies; each
 * thread loads the app, runs `setup` once, and serves requests that reach
 * it as plain messages on its own MessagePort.
 */
export async function serve(input: ServeOptions): Promise<RunningPool> {
  const options = resolveOptions(input);
  const poolOptions = resolvePoolOptions(options.pool);
  const { limits, logger } = options;

  // The instance's one link to other instances, held here and relayed to every thread.
  const bridge = await openChannelBridge(options.channel, logger, 'pool');

  // The serving threads, the express lane if on, and the standby that takes over a lost thread (threads.ts).
  const threads = options.workers + (poolOptions.expressLane ? 1 : 0) + 1;
  const pool = new Piscina({
    filename: WORKER_FILE,
    minThreads: threads,
    maxThreads: threads,
    // Threads live as long as the server: no creation and destruction churn.
    idleTimeout: Infinity,
    // One session per thread; requests then travel on the session's own port.
    concurrentTasksPerWorker: 1,
    // The session keeps its thread's event loop running: never block it in Atomics.wait.
    atomics: 'disabled',
    recordTiming: false,
    ...(poolOptions.resourceLimits ? { resourceLimits: poolOptions.resourceLimits } : {}),
    execArgv: poolOptions.execArgv ?? threadExecArgv(),
  });
  // A thread failing with no session on it has nobody to tell; log it rather than crash.
  pool.on('error', (error: unknown) => logger.error('[switchyard] pool thread error', error));

  const lifecycle = new ServerLifecycle();
  const { counters } = lifecycle;
  let listening = false;
  const ops: RunnerOps = new RunnerOps(options, {
    backend: 'pool',
    worker: 0,
    notReady: () => (!listening ? 'starting' : lifecycle.closing ? 'draining' : undefined),
    gauges: (): MetricJson[] => [...poolGauges(dispatcher, () => counters.inFlight), ...channelMetrics(bridge, 'pool')],
  });
  const dispatcher: Dispatcher = new Dispatcher({
    pool,
    workers: options.workers,
    app: appUrl(options.app).href,
    fastGlobals: options.fastGlobals,
    limits,
    poolOptions,
    logger,
    counters,
    healthPaths: options.healthPaths,
    onFinish: lifecycle.requestDone,
    observer: ops.observer,
    board: ops.board,
    bridge,
  });

  try {
    await dispatcher.start();
  } catch (error) {
    await dispatcher.close(0);
    await pool.destroy();
    await bridge?.close();
    throw error;
  }

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    counters.requests++;
    counters.inFlight++;
    if (lifecycle.closing) res.shouldKeepAlive = false;
    const job = dispatcher.accept(req, res);
    if (!requestHasBody(req)) {
      // The first request after a refusal's hold-off waits one poll, which reads a close its client sent behind it.
      if (resumedAfterHoldOff(req.socket)) afterNextPoll(() => dispatcher.submit(job, null));
      else dispatcher.submit(job, null);
      return;
    }
    readBody(req, limits.maxBodySize).then(
      (body) => dispatcher.submit(job, body),
      (error: unknown) => dispatcher.bodyFailed(job, error),
    );
  };

  const sockets = dispatcher.sockets?.host;
  const server = createHttpServer(limits, handle, {
    counters,
    onDone: lifecycle.requestDone,
    healthPaths: options.healthPaths,
    observer: ops.observer,
    endpoints: ops.endpoints,
    sockets,
  });
  let address: { port: number; url: string };
  try {
    address = await listen(server, options.port, options.host);
    await ops.listen();
  } catch (error) {
    server.close();
    await ops.close();
    await dispatcher.close(options.graceMs);
    await pool.destroy();
    await bridge?.close();
    throw error;
  }
  const monitor = new LoopMonitor();
  listening = true;
  ops.readinessChanged();

  let removeHangup = () => {};
  let socketsClosed: Promise<void> | undefined;
  const close = lifecycle.closer(
    server,
    {
      announce: (graceMs) => {
        ops.readinessChanged();
        dispatcher.announceShutdown();
        socketsClosed = sockets?.shutdown(graceMs);
      },
      finish: async (graceMs) => {
        removeHangup();
        // Their `close` handlers run on the threads, before `teardown`.
        await socketsClosed;
        // Each thread runs `teardown`; one that does not finish in time is terminated.
        await dispatcher.close(Math.max(graceMs, 1000));
        await pool.destroy();
        await bridge?.close();
        monitor.stop();
        await ops.close();
      },
    },
    { graceMs: options.graceMs, signals: options.signals, logger },
  );

  const stats = async (): Promise<PoolStats> => {
    const queued = dispatcher.queue.size;
    return {
      backend: 'pool',
      requests: counters.requests,
      inFlight: counters.inFlight,
      queued,
      rejected: counters.rejected,
      eventLoop: monitor.read(),
      workers: dispatcher.figures(),
      ...(bridge && { channel: bridge.stats() }),
      ...(sockets && { websockets: sockets.size }),
      pool: {
        threads: options.workers,
        expressLane: poolOptions.expressLane,
        queued,
        rejected: counters.rejected,
        concurrentTasksPerWorker: poolOptions.concurrentTasksPerWorker,
      },
    };
  };

  const reload = () => dispatcher.reload(options.graceMs);
  if (options.signals) {
    const threads = `${options.workers} thread${options.workers === 1 ? '' : 's'} + express lane`;
    removeHangup = onReloadSignal(reload, logger, 'reload', `reloading the app in ${threads}`);
  }

  return {
    url: address.url,
    port: address.port,
    backend: 'pool',
    stats,
    reload,
    close: (closeOptions) => close(closeOptions?.graceMs),
    [Symbol.asyncDispose]: () => close(),
  };
}
