import type { ServerResponse } from 'node:http';
import { writeHead } from './head.js';
import { holdOffConnection } from './hold-off.js';
import { lingerThenEnd } from './linger.js';

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  408: 'Request Timeout',
  413: 'Content Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/**
 * Answers with a short plain-text error. The client never sees internals;
 * details go to the server's logger. `close` ends the connection afterwards,
 * for when the rest of the request will not be read: what the client is
 * still sending is read and discarded for a bounded while first
 * (linger.ts), so it can read the answer instead of a reset. `holdOff`,
 * with `retryAfter` and without `close`, keeps the connection but reads
 * nothing more from it until `retryAfter` has passed (hold-off.ts).
 */
export function sendError(res: ServerResponse, status: number, options: { close?: boolean; retryAfter?: number; holdOff?: boolean } = {}): void {
  if (res.headersSent || res.destroyed) {
    res.destroy();
    return;
  }
  const body = `${REASONS[status] ?? 'Error'}\n`;
  const headers = ['content-type', 'text/plain; charset=utf-8', 'content-length', String(body.length)];
  if (options.retryAfter !== undefined) headers.push('retry-after', String(options.retryAfter));
  if (options.close) {
    headers.push('connection', 'close');
    res.shouldKeepAlive = false;
  }
  writeHead(res, status, '', headers);
  if (options.holdOff && options.retryAfter !== undefined && !options.close) holdOffConnection(res, options.retryAfter * 1_000);
  if (options.close && !res.req.complete) lingerThenEnd(res, body);
  else res.end(body);
}
