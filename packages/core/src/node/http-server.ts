import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { listenFailed, portInUse } from '../errors.js';
import type { ResolvedLimits } from '../options.js';
import type { RunnerEndpoints } from '../ops/endpoints.js';
import type { RequestObserver } from '../ops/observer.js';
import type { RequestCounters } from '../stats.js';
import { Admission } from './admission.js';
import { sendError } from './errors.js';
import { hasValidTarget } from './target.js';
import { TurnQueue } from './turns.js';
import type { SocketHost } from './websocket/host.js';

/** What the server checks before a backend sees a request. */
export interface ServerGuards {
  counters: RequestCounters;
  /** Never shed (admission.ts). */
  healthPaths: readonly string[];
  /** Metrics and access logs; undefined when both are off. */
  observer?: RequestObserver | undefined;
  /** The worker label of requests refused here. Default 0. */
  worker?: number;
  /** Paths the runner answers itself (health, readiness, `/metrics`), before admission and the app. */
  endpoints?: RunnerEndpoints | undefined;
  /** Called when a request that waited for a later turn (turns.ts) ends without reaching the backend. */
  onDone?: () => void;
  /** Takes WebSocket upgrade requests into the same path as the rest; undefined when the app takes no WebSockets. */
  sockets?: SocketHost | undefined;
}

/** Serves one request; returns true when it goes on in microtasks (the app's `fetch` returned a promise), which turns.ts lets run before the next, anything else when it does not. */
export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => unknown;

/**
 * A `node:http` server with Switchyard's limits. Node itself answers
 * malformed requests (400), oversized heads (431) and slow clients (408);
 * a request whose Host or target gives no URL the app can parse gets 400
 * here, admission (admission.ts) drops requests whose client has gone
 * and sheds load past the overload limits, before any backend sees them,
 * and requests run in turns of the loop (turns.ts).
 */
export function createHttpServer(limits: ResolvedLimits, handler: RequestHandler, guards: ServerGuards): Server {
  const { counters, observer, worker = 0, onDone } = guards;
  const admission = new Admission({ limits, counters, healthPaths: guards.healthPaths });
  const endpoints = guards.endpoints?.empty ? undefined : guards.endpoints;
  const refused = (req: IncomingMessage, res: ServerResponse, startedAt: number) => {
    // Shed (503); a request whose client had gone was dropped unanswered and is not counted.
    if (observer === undefined || !res.headersSent) return;
    observer.rejected(worker);
    observer.end(req, res, startedAt, worker);
  };
  const turns = new TurnQueue(
    (req, res, startedAt, waitedMs) => {
      // A waiting request counts as in flight, so that a drain waits for it.
      counters.inFlight--;
      if (admission.admitWaited(req, res, waitedMs)) return handler(req, res) === true;
      refused(req, res, startedAt);
      onDone?.();
      return false;
    },
    { bypass: (req) => admission.isHealth(req), timed: admission.shedsLate },
  );
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    if (endpoints?.answer(req, res)) return;
    const startedAt = observer === undefined ? 0 : performance.now();
    observer?.begin(req, res);
    if (!hasValidTarget(req)) {
      sendError(res, 400, { close: true });
      observer?.end(req, res, startedAt, worker);
    } else if (!admission.admit(req, res)) refused(req, res, startedAt);
    else if (turns.submit(req, res, startedAt)) counters.inFlight++;
    else handler(req, res);
  };
  const server = createServer(
    {
      maxHeaderSize: limits.maxHeaderSize,
      requestTimeout: limits.requestTimeout,
      headersTimeout: limits.headersTimeout,
      keepAliveTimeout: limits.keepAliveTimeout,
      // Node checks the two timeouts above on this interval (default 30 s),
      // so a short timeout needs a short interval to be honoured.
      connectionsCheckingInterval: Math.max(50, Math.min(30_000, Math.floor(Math.min(limits.requestTimeout, limits.headersTimeout) / 4))),
    },
    onRequest,
  );
  server.once('close', () => admission.stop());
  guards.sockets?.attach(server, onRequest);
  return server;
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}

/** Listens, turning address errors into errors that say what to change. */
export function listen(server: Server, port: number, host: string): Promise<{ port: number; url: string }> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(error.code === 'EADDRINUSE' ? portInUse(host, port, error) : listenFailed(host, port, error));
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      const actual = (server.address() as AddressInfo).port;
      resolve({ port: actual, url: `http://${urlHost(host)}:${actual}` });
    });
  });
}

/**
 * Stops accepting, waits for in-flight requests (`isIdle`) up to `graceMs`,
 * then cuts what is left. Idle keep-alive sockets close at once.
 */
export async function drain(server: Server, isIdle: () => boolean, whenIdle: Promise<void>, graceMs: number): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  if (!isIdle()) {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([whenIdle, new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    clearTimeout(timer);
  }
  // Requests that began before the close may have left keep-alive sockets behind.
  server.closeIdleConnections();
  server.closeAllConnections();
  await closed;
}
