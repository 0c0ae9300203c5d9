import type { Server } from 'node:http';
import {
  ChannelHub,
  createSetupContext,
  loadApp,
  LoopMonitor,
  resolveOptions,
  serverShuttingDown,
  type App,
  type BackendName,
  type ChannelBridge,
  type ContextBase,
  type RunningServer,
  type ServeOptions,
  type ResolvedOptions,
  type ServerStats,
  useFastGlobals,
  type WebSocketData,
} from '@switchyard/core';
import {
  catchUnhandled,
  channelMetrics,
  createHttpServer,
  createNodeHandler,
  decodeMessage,
  encodeMessage,
  gauge,
  listen,
  localEvents,
  openChannelBridge,
  resolveSocketOptions,
  SocketHost,
  RunnerOps,
  ServerLifecycle,
  type Scrape,
} from '@switchyard/core/node';

/** What a process running one reactor needs besides the options; the cluster backend sets these. */
export interface ReactorContext {
  workerId?: number;
  hub?: ChannelHub;
  /** The name handlers see as `ctx.backend` and `stats()` reports. Default `'reactor'`. */
  backend?: BackendName;
  /**
   * Replaces binding `host:port`: the cluster backend's processes take
   * connections their primary accepted, so they bind nothing themselves.
   */
  listen?: (server: Server) => Promise<{ port: number; url: string }>;
  /**
   * Aborts when the caller begins a shutdown of its own (the cluster backend
   * drains connections before it calls `close`): the app's `setup` signal
   * aborts with it, and WebSockets close: with 1012 when it aborts with
   * `RESTART` (another process takes this one's place), else 1001.
   */
  shutdown?: AbortSignal;
  /** Why the whole server is not ready though this process is (the cluster primary's view). */
  notReady?: () => string | undefined;
  /** Replaces the local `/metrics` scrape (a cluster process asks its primary). */
  scrape?: (openMetrics: boolean) => Promise<Scrape>;
  /** Set where another process serves the metrics port. */
  metricsPortElsewhere?: boolean;
  /** Receives this process's metrics, for a primary to merge. */
  onOps?: (ops: RunnerOps) => void;
}

/** The `shutdown` abort reason that says a replacement follows. */
export const RESTART = 'restart';

/**
 * Runs the app on this thread's event loop with `node:http`. Everything the
 * app does shares one loop: slow I/O costs nothing, synchronous CPU work
 * delays every other client.
 */
export async function serve(input: ServeOptions, context: ReactorContext = {}): Promise<RunningServer> {
  const options = resolveOptions(input);
  // Before the app loads: a module may keep the global Response it sees at import.
  const releaseGlobals = options.fastGlobals ? useFastGlobals() : () => {};
  const releaseUnhandled = options.unhandledErrors === 'log' ? catchUnhandled(options.logger) : () => {};
  const release = () => {
    releaseUnhandled();
    releaseGlobals();
  };
  try {
    return await start(options, context, release);
  } catch (error) {
    release();
    throw error;
  }
}

async function start(options: ResolvedOptions, context: ReactorContext, release: () => void): Promise<RunningServer> {
  const app = await loadApp(options.app);
  // A cluster process gets its hub from the primary, which holds the instance's bridge; a reactor of its own holds it here.
  const bridge = context.hub ? undefined : await openChannelBridge(options.channel, options.logger, 'reactor');
  try {
    return await startWith(app, bridge, options, context, release);
  } catch (error) {
    await bridge?.close();
    throw error;
  }
}

async function startWith(
  app: App,
  bridge: ChannelBridge | undefined,
  options: ResolvedOptions,
  context: ReactorContext,
  release: () => void,
): Promise<RunningServer> {
  const hub = context.hub ?? bridgedHub(bridge);
  const socketOptions = resolveSocketOptions(app.websocket, options.limits.maxBodySize);
  const host = socketOptions && new SocketHost(socketOptions, hub, options.logger);
  const base: ContextBase = {
    backend: context.backend ?? 'reactor',
    workerId: context.workerId ?? 0,
    hub,
    ...(host && { publish: (topic: string, data: WebSocketData) => host.publish(topic, data, undefined) }),
  };
  try {
    return await serveApp(app, bridge, options, context, release, base, host);
  } catch (error) {
    await host?.shutdown(0);
    throw error;
  }
}

async function serveApp(
  app: App,
  bridge: ChannelBridge | undefined,
  options: ResolvedOptions,
  context: ReactorContext,
  release: () => void,
  base: ContextBase,
  host: SocketHost | undefined,
): Promise<RunningServer> {
  const setupContext = createSetupContext(base);
  await app.setup?.(setupContext);
  // WebSockets close as the shutdown begins: they never end by themselves, and a cluster process waits for its connections.
  let socketsClosed: Promise<void> | undefined;
  context.shutdown?.addEventListener(
    'abort',
    () => {
      setupContext.abort(serverShuttingDown());
      const restart = context.shutdown?.reason === RESTART;
      socketsClosed ??= restart ? host?.shutdown(options.graceMs, 1012, 'server restarting') : host?.shutdown(options.graceMs);
    },
    { once: true },
  );

  const lifecycle = new ServerLifecycle();
  const { counters } = lifecycle;
  let listening = false;
  const labels = { backend: base.backend, worker: String(base.workerId) };
  const ops = new RunnerOps(options, {
    backend: base.backend,
    worker: base.workerId,
    notReady: () => (!listening ? 'starting' : lifecycle.closing ? 'draining' : context.notReady?.()),
    gauges: () => [
      gauge('switchyard_requests_in_flight', 'Requests being handled now.', [{ value: counters.inFlight, labels }]),
      ...channelMetrics(bridge, base.backend),
    ],
    ...(context.scrape ? { scrape: context.scrape } : {}),
    servePort: !context.metricsPortElsewhere,
  });
  context.onOps?.(ops);
  const handler = createNodeHandler({
    app,
    base,
    limits: options.limits,
    logger: options.logger,
    counters,
    closing: () => lifecycle.closing,
    onDone: lifecycle.requestDone,
    observer: ops.observer,
    sockets: host && { host, events: localEvents(app.websocket!, host) },
  });
  const server = createHttpServer(options.limits, handler, {
    counters,
    onDone: lifecycle.requestDone,
    healthPaths: options.healthPaths,
    observer: ops.observer,
    worker: base.workerId,
    endpoints: ops.endpoints,
    sockets: host,
  });
  let address: { port: number; url: string };
  try {
    address = await (context.listen ? context.listen(server) : listen(server, options.port, options.host));
    await ops.listen();
  } catch (error) {
    server.close();
    await ops.close();
    await app.teardown?.();
    throw error;
  }
  listening = true;
  ops.readinessChanged();
  const monitor = new LoopMonitor();

  const close = lifecycle.closer(
    server,
    {
      // First, so the app can end what never finishes by itself (event streams, WebSockets) within the grace period.
      announce: (graceMs) => {
        ops.readinessChanged();
        setupContext.abort(serverShuttingDown());
        socketsClosed ??= host?.shutdown(graceMs);
      },
      finish: async () => {
        await socketsClosed;
        monitor.stop();
        await ops.close();
        try {
          await app.teardown?.();
        } finally {
          await bridge?.close();
          release();
        }
      },
    },
    options,
  );

  const stats = async (): Promise<ServerStats> => {
    const eventLoop = monitor.read();
    return {
      backend: base.backend,
      requests: counters.requests,
      inFlight: counters.inFlight,
      queued: 0,
      rejected: counters.rejected,
      eventLoop,
      workers: [{ id: base.workerId, pid: process.pid, requests: counters.requests, inFlight: counters.inFlight, eventLoop }],
      ...(host && { websockets: host.size }),
      ...(bridge && { channel: bridge.stats() }),
    };
  };

  return {
    url: address.url,
    port: address.port,
    backend: 'reactor',
    stats,
    close: (closeOptions) => close(closeOptions?.graceMs),
    [Symbol.asyncDispose]: () => close(),
  };
}

/** This process's channels, reaching other instances through `bridge` when there is one. */
function bridgedHub(bridge: ChannelBridge | undefined): ChannelHub {
  if (!bridge) return new ChannelHub();
  const hub = new ChannelHub((name, message) => bridge.publish(name, encodeMessage(message)));
  bridge.onMessage((name, data) => hub.deliver(name, decodeMessage(data)));
  return hub;
}
