/**
 * Runs in each context the primary starts (a process forked here, or a
 * thread under @switchyard/threads): one reactor, fed with connections the
 * primary accepted, or bound itself to a shared port. It beats a heartbeat
 * from its event loop, relays channel messages and log lines through the
 * primary, answers stats, and on `drain` finishes what it has (telling
 * keep-alive clients to go elsewhere) before it tears down and exits.
 */
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { deserialize, serialize } from 'node:v8';
import { ChannelHub, type Logger, type RunningServer } from '@switchyard/core';
import { METRICS_INTERVAL_MS, type RunnerOps, type Scrape } from '@switchyard/core/node';
import { RESTART, serve } from '@switchyard/reactor/node';
import type { ToPrimary, ToWorker, WorkerInit } from './messages.js';
import { encodeArg, encodeError } from './wire.js';

/** The context's side of its channel to the primary. */
export interface PrimaryLink {
  init: WorkerInit;
  backend: 'cluster' | 'threads';
  /** Sends to the primary; `done` once it went (or could not). */
  send(message: ToPrimary, done?: () => void): void;
  onMessage(listener: (message: ToWorker, handle?: Socket) => void): void;
  /**
   * Binds the server on the shared port itself (threads). Absent: the
   * context binds nothing and takes the connections the primary hands over.
   */
  bind?: (server: Server) => Promise<void>;
  /** Whether this context owns its process's signals (a forked process does; a thread does not). */
  ownsProcess: boolean;
}

/** The response in progress on a socket, so a drain can still turn it into the connection's last. */
const kResponse = Symbol('switchyard.response');
type TrackedSocket = Socket & { [kResponse]?: { headersSent: boolean; shouldKeepAlive: boolean } };

/**
 * Runs one context until it has drained: the app in a reactor, its heartbeat,
 * and the messages to and from the primary.
 */
export async function runWorker(link: PrimaryLink): Promise<void> {
  const { init } = link;

  const sockets = new Set<TrackedSocket>();
  let server: Server | undefined;
  let running: RunningServer | undefined;
  let requests = 0;
  let draining: Promise<void> | undefined;
  /** Why the server is not ready, as the primary last said; null when it is. */
  let serverNotReady: string | null = 'starting';
  let ops: RunnerOps | undefined;
  const scrapes = new Map<number, (scrape: Scrape) => void>();
  const SCRAPE_TIMEOUT_MS = 5_000;
  let nextScrape = 1;
  /** Aborted as a drain begins, so the app's `setup` signal tells it to end its event streams. */
  const shutdown = new AbortController();
  let drainedSockets: (() => void) | undefined;
  /** A drain asked for before the app was ready: done once it is. */
  let pendingDrain: number | undefined;

  const send = link.send;

  function heartbeat(): void {
    send({ type: 'heartbeat', requests, rssBytes: process.memoryUsage.rss() });
  }

  // v8's serializer is structuredClone's: what a subscriber here would get, one elsewhere gets too.
  const hub = new ChannelHub((channel, message) => send({ type: 'publish', channel, data: serialize(message).toString('base64') }));

  const logger: Logger = {
    error: (...args) => send({ type: 'log', level: 'error', args: args.map(encodeArg) }),
    warn: (...args) => send({ type: 'log', level: 'warn', args: args.map(encodeArg) }),
    info: (...args) => send({ type: 'log', level: 'info', args: args.map(encodeArg) }),
  };

  /** Counts a connection until it closes: a drain waits for them. */
  function track(socket: TrackedSocket): void {
    sockets.add(socket);
    // One listener for every socket, not a closure each: held connections number in the thousands.
    socket.on('close', untrack);
  }
  function untrack(this: TrackedSocket): void {
    sockets.delete(this);
    if (sockets.size === 0) drainedSockets?.();
  }

  /** A connection the primary accepted and handed over. */
  function take(socket: TrackedSocket): void {
    track(socket);
    server!.emit('connection', socket);
  }

  /** The reactor's listen step: bind the shared port (threads), or bind nothing and take connections from the primary. */
  async function attach(http: Server): Promise<{ port: number; url: string }> {
    server = http;
    http.prependListener('request', (req, res) => {
      requests++;
      if (requests === init.maxRequests) heartbeat();
      if (draining) res.shouldKeepAlive = false;
      else (req.socket as TrackedSocket)[kResponse] = res;
    });
    if (link.bind) {
      http.on('connection', track);
      await link.bind(http);
    } else {
      // node:http starts tracking connections (request and headers timeouts,
      // closing idle ones) on 'listening'. Nothing binds here, so say it.
      http.emit('listening');
    }
    return { port: init.port, url: init.url };
  }

  /**
   * Finishes in-flight requests within `graceMs`, then tears down. Keep-alive
   * connections are not closed while idle, which races a client sending its
   * next request (that request would be reset): each gets `Connection: close`
   * on its next response instead, or closes at `keepAliveTimeout`.
   */
  function drain(graceMs: number, restart: boolean): Promise<void> {
    draining ??= (async () => {
      const deadline = Date.now() + graceMs;
      // On a shared port, stop taking connections: the kernel gives new ones to the other listeners.
      if (link.bind) server?.close();
      // The reason tells the reactor whether a replacement follows (its WebSockets then close with 1012).
      shutdown.abort(restart ? RESTART : undefined);
      for (const socket of sockets) {
        const res = socket[kResponse];
        if (res && !res.headersSent) res.shouldKeepAlive = false;
      }
      if (sockets.size > 0) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          new Promise<void>((resolve) => (drainedSockets = resolve)),
          new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs))),
        ]);
        clearTimeout(timer);
      }
      // Anything left is cut by the reactor's own close once the rest of the grace period is up.
      await running?.close({ graceMs: Math.max(0, deadline - Date.now()) });
    })();
    return draining;
  }

  /** This process's figures, for the primary to merge into `/metrics`. */
  async function reportMetrics(): Promise<void> {
    if (ops?.board) send({ type: 'metrics', metrics: await ops.local() });
  }

  /** `/metrics` asked of this process: the primary holds every process's figures (this one's sent first, so they are current). */
  async function scrapeAtPrimary(openMetrics: boolean): Promise<Scrape> {
    await reportMetrics();
    const id = nextScrape++;
    return new Promise<Scrape>((resolve, reject) => {
      // A primary that cannot answer (gone, or stuck) fails the scrape rather than holding it.
      const timer = setTimeout(() => {
        scrapes.delete(id);
        reject(new Error(`the primary did not answer within ${SCRAPE_TIMEOUT_MS} ms`));
      }, SCRAPE_TIMEOUT_MS);
      scrapes.set(id, (scrape) => {
        clearTimeout(timer);
        resolve(scrape);
      });
      send({ type: 'scrape', id, openMetrics });
    });
  }

  let exiting = false;
  function drainAndExit(graceMs: number, restart = false): void {
    if (exiting) return;
    exiting = true;
    void drain(graceMs, restart)
      .then(() => reportMetrics())
      .catch(() => {})
      .then(() => {
        clearInterval(beat);
        send({ type: 'closed', requests }, () => process.exit(0));
      });
  }

  link.onMessage((message: ToWorker, handle?: Socket) => {
    switch (message.type) {
      case 'conn':
        // Acknowledge first: once the primary knows, it drops its copy of the socket.
        send({ type: 'ack', id: message.id });
        if (handle) take(handle);
        break;
      case 'deliver':
        hub.deliver(message.channel, deserialize(Buffer.from(message.data, 'base64')));
        break;
      case 'stats':
        void running?.stats().then((stats) =>
          send({
            type: 'stats',
            id: message.id,
            figures: {
              requests: stats.requests,
              inFlight: stats.inFlight,
              rejected: stats.rejected,
              eventLoop: stats.eventLoop,
              rssBytes: process.memoryUsage.rss(),
              ...(stats.websockets !== undefined && { websockets: stats.websockets }),
            },
          }),
        );
        break;
      case 'drain':
        if (running) drainAndExit(message.graceMs, message.restart === true);
        else pendingDrain = message.graceMs;
        break;
      case 'readiness':
        serverNotReady = message.notReady;
        break;
      case 'scrape':
        scrapes.get(message.id)?.({ body: message.body, contentType: message.contentType });
        scrapes.delete(message.id);
        break;
    }
  });

  send({ type: 'hello' });
  heartbeat();
  const beat = setInterval(heartbeat, init.heartbeatIntervalMs);
  if (link.ownsProcess) {
    // A terminal's Ctrl-C reaches the whole process group: the primary decides what happens.
    process.on('SIGINT', () => {});
    // SIGTERM sent to this process alone: leave gracefully; the primary starts a new one.
    process.on('SIGTERM', () => (running ? drainAndExit(init.graceMs) : process.exit(0)));
    // If the primary dies, node:cluster itself exits this process on 'disconnect'.
  }

  try {
    running = await serve(
      {
        app: init.app,
        host: init.host,
        port: init.port,
        workers: 1,
        limits: init.limits,
        graceMs: init.graceMs,
        fastGlobals: init.fastGlobals,
        unhandledErrors: init.unhandledErrors,
        healthPaths: init.healthPaths,
        signals: false,
        logger,
        // The port, if any, is the primary's; the path is answered here with the primary's merge.
        metrics: init.metrics ? ('port' in init.metrics ? init.metrics.port : init.metrics.path) : false,
        log: init.log ?? false,
        health: init.health ?? false,
      },
      {
        workerId: init.workerId,
        hub,
        backend: link.backend,
        listen: attach,
        shutdown: shutdown.signal,
        notReady: () => (draining ? 'draining' : (serverNotReady ?? undefined)),
        scrape: scrapeAtPrimary,
        metricsPortElsewhere: true,
        onOps: (created) => (ops = created),
      },
    );
  } catch (error) {
    send({ type: 'failed', error: encodeError(error) }, () => process.exit(1));
  }
  if (running) {
    send({ type: 'ready' });
    if (ops?.board) setInterval(() => void reportMetrics(), METRICS_INTERVAL_MS).unref();
    if (pendingDrain !== undefined) drainAndExit(pendingDrain);
  }
}
