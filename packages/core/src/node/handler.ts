import type { IncomingMessage, ServerResponse } from 'node:http';
import { clientGone, RequestContext, requestTimedOut, type ClientWatcher, type ContextBase } from '../context.js';
import { SwitchyardError } from '../errors.js';
import type { RequestObserver } from '../ops/observer.js';
import type { ResolvedLimits } from '../options.js';
import type { RequestCounters } from '../stats.js';
import type { App, Logger, UpgradeOptions } from '../types.js';
import { declaredLength } from './body.js';
import { Deadlines } from './deadlines.js';
import { sendError } from './errors.js';
import { NodeRequest, type NodeRequestOptions } from './request.js';
import { sendResponse } from './send.js';
import { runAsRequest, tracingRequests, type RequestLabel } from './unhandled.js';
import { upgradeHeaderLines } from './websocket/handshake.js';
import type { SocketHost } from './websocket/host.js';
import type { SocketEvents } from './websocket/socket.js';

export interface NodeHandlerOptions {
  app: App;
  base: ContextBase;
  limits: ResolvedLimits;
  logger: Logger;
  counters: RequestCounters;
  /** True once the server is shutting down: responses then close their connection. */
  closing: () => boolean;
  /** Called whenever a response ends. */
  onDone?: () => void;
  /** Metrics and access logs; undefined when both are off. */
  observer?: RequestObserver | undefined;
  /** The WebSockets of this context and the app's handlers for them; undefined when the app takes none. */
  sockets?: { host: SocketHost; events: SocketEvents } | undefined;
}

/** What every request of one handler shares. */
interface Shared extends NodeHandlerOptions {
  /** One timer for every request's timeout, not one each (deadlines.ts). */
  deadlines: Deadlines<Exchange>;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  return `an object (${value.constructor?.name ?? 'no prototype'})`;
}

/**
 * One request from head to end. One object is the lazy request's
 * surroundings and the context's client watcher, instead of a closure for
 * each: a request held open for minutes keeps this, not half a dozen
 * closures and their scopes, and a short one allocates less.
 */
class Exchange implements NodeRequestOptions, ClientWatcher, RequestLabel {
  readonly #req: IncomingMessage;
  readonly #res: ServerResponse;
  readonly #shared: Shared;
  readonly #ctx: RequestContext;
  #finished = false;
  #tooLarge = false;
  #timed = false;
  #startedAt = 0;
  /** Set when the handler accepted the request as a WebSocket. */
  #upgrade: UpgradeOptions<unknown> | undefined;

  constructor(req: IncomingMessage, res: ServerResponse, shared: Shared) {
    this.#req = req;
    this.#res = res;
    this.#shared = shared;
    this.#ctx = new RequestContext(shared.base, this);
  }

  get maxBodySize(): number {
    return this.#shared.limits.maxBodySize;
  }

  get signal(): AbortSignal {
    return this.#ctx.signal;
  }

  /** What a stray error from this request's code is logged with (unhandled.ts). */
  get label(): string {
    return `${this.#req.method} ${this.#req.url}`;
  }

  onTooLarge(): void {
    this.#tooLarge = true;
  }

  watchClient(): void {
    const res = this.#res;
    const ctx = this.#ctx;
    if (res.destroyed && !res.writableFinished) ctx.abort(clientGone());
    else res.once('close', () => res.writableFinished || ctx.abort(clientGone()));
  }

  upgrade(options: UpgradeOptions<unknown>): boolean {
    if (this.#finished || !this.#shared.sockets?.host.canUpgrade(this.#req)) return false;
    // Checked now, so a header that cannot be sent fails in the handler that passed it.
    upgradeHeaderLines(options.headers);
    this.#upgrade = options;
    return true;
  }

  /** True when the app's `fetch` returned a promise: the request goes on in microtasks. */
  start(): boolean {
    const { app, counters, closing, limits } = this.#shared;
    const req = this.#req;
    const res = this.#res;
    counters.requests++;
    counters.inFlight++;
    if (this.#shared.observer) this.#startedAt = performance.now();
    if (closing()) res.shouldKeepAlive = false;

    // Refuse a declared oversized body before the handler runs (RFC 9110, 15.5.14).
    const declared = declaredLength(req);
    if (declared !== undefined && Number(declared) > limits.maxBodySize) {
      sendError(res, 413, { close: true });
      this.#done();
      return false;
    }

    let result: Response | undefined | Promise<Response | undefined>;
    try {
      const request = new NodeRequest(req, this) as unknown as Request;
      // A closure only when stray errors are traced to their request (unhandled.ts).
      result = tracingRequests() ? runAsRequest(this, () => app.fetch(request, this.#ctx)) : app.fetch(request, this.#ctx);
    } catch (error) {
      this.#fail(error);
      return false;
    }
    if (result instanceof Response || typeof (result as Promise<Response> | undefined)?.then !== 'function') {
      this.#finish(result);
      return false;
    }
    // Only asynchronous handlers can still be running later, so only they get a deadline.
    this.#timed = true;
    this.#shared.deadlines.add(this, performance.now());
    (result as Promise<Response | undefined>).then(
      (response) => this.#finish(response),
      (error: unknown) => this.#fail(error),
    );
    return true;
  }

  /** The request ran past `limits.requestTimeout` (called by the shared deadlines). */
  expire(): void {
    const { logger, limits } = this.#shared;
    this.#timed = false;
    this.#ctx.abort(requestTimedOut(limits.requestTimeout));
    // The client is still sending (Node's own request timeout would answer 408 too, later, on the same connection).
    const stalled = !this.#req.complete;
    logger.warn(
      `[switchyard] ${this.#req.method} ${this.#req.url} timed out after ${limits.requestTimeout} ms (limits.requestTimeout)${stalled ? ' with its body still arriving' : ''}`,
    );
    if (stalled) sendError(this.#res, 408, { close: true });
    else sendError(this.#res, 504);
    this.#done();
  }

  #untime(): void {
    if (!this.#timed) return;
    this.#timed = false;
    this.#shared.deadlines.delete(this);
  }

  #done(): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#untime();
    const shared = this.#shared;
    shared.counters.inFlight--;
    shared.observer?.end(this.#req, this.#res, this.#startedAt, shared.base.workerId);
    shared.onDone?.();
  }

  #fail(error: unknown): void {
    if (this.#finished) return;
    const req = this.#req;
    const res = this.#res;
    if (this.#tooLarge || (error instanceof SwitchyardError && error.code === 'ERR_BODY_TOO_LARGE')) {
      sendError(res, 413, { close: true });
    } else {
      this.#shared.logger.error(`[switchyard] ${req.method} ${req.url} failed: the handler threw`, error);
      sendError(res, 500);
    }
    this.#done();
  }

  #finish(response: unknown): void {
    if (this.#finished) {
      // The timeout answered already; free a body nobody will read.
      if (response instanceof Response) response.body?.cancel().catch(() => {});
      return;
    }
    if (this.#tooLarge) return this.#fail(undefined);
    if (this.#upgrade) return this.#accept(this.#upgrade, response);
    const req = this.#req;
    const res = this.#res;
    const { logger } = this.#shared;
    if (!(response instanceof Response)) {
      logger.error(`[switchyard] ${req.method} ${req.url} failed: the handler returned ${describe(response)} instead of a Response`);
      sendError(res, 500);
      this.#done();
      return;
    }
    this.#untime();
    try {
      sendResponse(res, response, () => this.#done());
    } catch (error) {
      // Node refused the head: a header name or value that HTTP cannot carry.
      logger.error(`[switchyard] ${req.method} ${req.url} failed: its response could not be written`, error);
      if (res.headersSent) res.destroy();
      else sendError(res, 500);
      this.#done();
    }
  }

  /** The handler accepted a WebSocket: what it returned is not sent, the handshake is. */
  #accept(options: UpgradeOptions<unknown>, returned: unknown): void {
    if (returned instanceof Response) returned.body?.cancel().catch(() => {});
    this.#untime();
    const sockets = this.#shared.sockets!;
    if (sockets.host.accept(this.#req, this.#res, upgradeHeaderLines(options.headers), options.data, sockets.events)) this.#res.statusCode = 101;
    this.#done();
  }
}

/**
 * The request pipeline of one thread or process: Node request in, app
 * `fetch`, Fetch response out, with limits, timeouts and failures mapped to
 * status codes. A failing handler costs only its own request.
 */
export function createNodeHandler(options: NodeHandlerOptions): (req: IncomingMessage, res: ServerResponse) => boolean {
  const shared: Shared = {
    ...options,
    deadlines: new Deadlines<Exchange>(options.limits.requestTimeout, (exchange) => exchange.expire()),
  };
  return (req, res) => new Exchange(req, res, shared).start();
}
