import type { ServerResponse } from 'node:http';
import { isHeaderName } from './headers.js';

const kAccess = Symbol('switchyard.access');

/** What an access line needs from a response's head: its request id, and its Content-Length once the head is out. */
export interface AccessTag {
  id: string;
  bytes: number | null;
}

type Tagged = ServerResponse & { [kAccess]?: AccessTag };

/** Marks `res` for an access line with request id `id`, echoed on its head. */
export function tagResponse(res: ServerResponse, id: string): AccessTag {
  const tag: AccessTag = { id, bytes: null };
  (res as Tagged)[kAccess] = tag;
  return tag;
}

export function accessTag(res: ServerResponse): AccessTag | undefined {
  return (res as Tagged)[kAccess];
}

/**
 * Every response head of every backend goes out here. With access logs
 * on, the request id joins the head (unless the app set its own) and the
 * Content-Length is noted: one pass over the list, where `setHeader`
 * before `writeHead` would make Node merge two header sets (measured:
 * about 2.5 µs a request).
 */
export function writeHead(res: ServerResponse, status: number, statusText: string, headers: string[]): void {
  const tag = (res as Tagged)[kAccess];
  if (tag !== undefined) noteHead(tag, headers);
  if (statusText) res.writeHead(status, statusText, headers);
  else res.writeHead(status, headers);
}

function noteHead(tag: AccessTag, headers: string[]): void {
  let hasId = false;
  for (let i = 0; i < headers.length; i += 2) {
    const name = headers[i]!;
    if (name.length === 14 && isHeaderName(name, 'content-length')) tag.bytes = Number(headers[i + 1]);
    else if (name.length === 12 && isHeaderName(name, 'x-request-id')) hasId = true;
  }
  if (!hasId) headers.push('x-request-id', tag.id);
}
