import type { IncomingMessage, ServerResponse } from 'node:http';
import { clientGone, RequestContext, requestTimedOut, type ContextBase } from '../context.js';
import { SwitchyardError } from '../errors.js';
import type { ResolvedLimits } from '../options.js';
import type { RequestCounters } from '../stats.js';
import type { App, Logger } from '../types.js';
import { declaredLength } from './body.js';
import { Deadlines } from './deadlines.js';
import { sendError } from './errors.js';
import { NodeRequest } from './request.js';
import { sendResponse } from './send.js';

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
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  return `an object (${value.constructor?.name ?? 'no prototype'})`;
}

/**
 * The request pipeline of one thread or process: Node request in, app
 * `fetch`, Fetch response out, with limits, timeouts and failures mapped to
 * status codes. A failing handler costs only its own request.
 */
export function createNodeHandler(options: NodeHandlerOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const { app, base, limits, logger, counters, closing, onDone } = options;
  const { maxBodySize, requestTimeout } = limits;
  // One timer for every request's timeout, not one each (deadlines.ts).
  const deadlines = new Deadlines<() => void>(requestTimeout, (expire) => expire());

  return function handle(req, res) {
    counters.requests++;
    counters.inFlight++;
    let finished = false;
    let expire: (() => void) | undefined;
    const done = () => {
      if (finished) return;
      finished = true;
      if (expire) deadlines.delete(expire);
      counters.inFlight--;
      onDone?.();
    };
    if (closing()) res.shouldKeepAlive = false;

    // Refuse a declared oversized body before the handler runs (RFC 9110, 15.5.14).
    const declared = declaredLength(req);
    if (declared !== undefined && Number(declared) > maxBodySize) {
      sendError(res, 413, { close: true });
      done();
      return;
    }

    let tooLarge = false;
    const ctx = new RequestContext(base, () => {
      if (res.destroyed && !res.writableFinished) ctx.abort(clientGone());
      else res.once('close', () => res.writableFinished || ctx.abort(clientGone()));
    });
    const request = new NodeRequest(req, {
      maxBodySize,
      signal: () => ctx.signal,
      onTooLarge: () => {
        tooLarge = true;
      },
    });

    const fail = (error: unknown) => {
      if (finished) return;
      if (tooLarge || (error instanceof SwitchyardError && error.code === 'ERR_BODY_TOO_LARGE')) {
        sendError(res, 413, { close: true });
      } else {
        logger.error(`[switchyard] ${req.method} ${req.url} failed: the handler threw`, error);
        sendError(res, 500);
      }
      done();
    };

    const finish = (response: unknown) => {
      if (finished) {
        // The timeout answered already; free a body nobody will read.
        if (response instanceof Response) response.body?.cancel().catch(() => {});
        return;
      }
      if (tooLarge) return fail(undefined);
      if (!(response instanceof Response)) {
        logger.error(
          `[switchyard] ${req.method} ${req.url} failed: the handler returned ${describe(response)} instead of a Response`,
        );
        sendError(res, 500);
        done();
        return;
      }
      if (expire) deadlines.delete(expire);
      try {
        sendResponse(res, response, done);
      } catch (error) {
        // Node refused the head: a header name or value that HTTP cannot carry.
        logger.error(`[switchyard] ${req.method} ${req.url} failed: its response could not be written`, error);
        if (res.headersSent) res.destroy();
        else sendError(res, 500);
        done();
      }
    };

    let result: Response | Promise<Response>;
    try {
      result = app.fetch(request as unknown as Request, ctx);
    } catch (error) {
      fail(error);
      return;
    }
    if (result instanceof Response || typeof (result as Promise<Response>)?.then !== 'function') {
      finish(result);
      return;
    }
    // Only asynchronous handlers can still be running later, so only they get a deadline.
    expire = () => {
      ctx.abort(requestTimedOut(requestTimeout));
      logger.warn(`[switchyard] ${req.method} ${req.url} timed out after ${requestTimeout} ms (limits.requestTimeout)`);
      sendError(res, 504);
      done();
    };
    deadlines.add(expire, performance.now());
    result.then(finish, fail);
  };
}
