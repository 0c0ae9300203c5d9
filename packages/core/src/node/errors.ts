import type { ServerResponse } from 'node:http';

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  413: 'Content Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/**
 * Answers with a short plain-text error. The client never sees internals;
 * details go to the server's logger. `close` ends the connection afterwards,
 * for when the rest of the request will not be read.
 */
export function sendError(res: ServerResponse, status: number, options: { close?: boolean; retryAfter?: number } = {}): void {
  if (res.headersSent) {
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
  res.writeHead(status, headers);
  res.end(body);
}
