import type { ServerResponse } from 'node:http';
import { fastResponseState } from '../response.js';
import { flattenHeaders, hasHeader } from './headers.js';

const PENDING = Symbol('pending');
type Read = ReadableStreamReadResult<Uint8Array>;

/** Resolves to `read` if it has already settled, else to PENDING, without a timer. */
function settledOrPending(read: Promise<Read>): Promise<Read | typeof PENDING> {
  // Promise.race visits `read` first, so an already-settled read always wins.
  return Promise.race([read, Promise.resolve(PENDING)]);
}

function writeHead(res: ServerResponse, status: number, statusText: string, headers: string[]): void {
  if (statusText) res.writeHead(status, statusText, headers);
  else res.writeHead(status, headers);
}

/**
 * Writes a Fetch `Response` to a Node response. String and byte bodies go out
 * with one `writeHead` + `end` and an exact content-length; stream bodies are
 * pumped with backpressure and cancelled if the client leaves. Returns a
 * promise only when the body is streamed.
 */
export function sendResponse(res: ServerResponse, response: Response): Promise<void> | undefined {
  const fast = fastResponseState(response);
  if (fast) {
    const headers = flattenHeaders(fast.headers);
    if (fast.defaultContentType !== undefined && !hasHeader(headers, 'content-type')) {
      headers.push('content-type', fast.defaultContentType);
    }
    const { body } = fast;
    if (body !== null && !hasHeader(headers, 'content-length')) {
      headers.push('content-length', String(typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength));
    }
    writeHead(res, fast.status, fast.statusText, headers);
    res.end(body ?? undefined);
    return undefined;
  }
  const headers = flattenHeaders(response.headers);
  const body = response.body;
  if (body === null) {
    writeHead(res, response.status, response.statusText, headers);
    res.end();
    return undefined;
  }
  return sendStream(res, response.status, response.statusText, headers, body);
}

async function sendStream(
  res: ServerResponse,
  status: number,
  statusText: string,
  headers: string[],
  body: ReadableStream<Uint8Array>,
): Promise<void> {
  const reader = body.getReader();
  const onClose = () => {
    if (!res.writableFinished) reader.cancel(new DOMException('The client closed the connection', 'AbortError')).catch(() => {});
  };
  res.once('close', onClose);
  try {
    // A body that is already complete (a native Response from a string) goes
    // out with a content-length, like the fast path; anything still pending
    // gets its head flushed now, so SSE clients see the response at once.
    const first = await settledOrPending(reader.read());
    if (first !== PENDING && first.done) {
      writeHead(res, status, statusText, headers);
      res.end();
      return;
    }
    if (first !== PENDING) {
      const second = await settledOrPending(reader.read());
      if (second !== PENDING && second.done) {
        if (!hasHeader(headers, 'content-length') && !hasHeader(headers, 'transfer-encoding')) {
          headers.push('content-length', String(first.value.byteLength));
        }
        writeHead(res, status, statusText, headers);
        res.end(first.value);
        return;
      }
      writeHead(res, status, statusText, headers);
      res.write(first.value);
      await pump(res, reader, second === PENDING ? reader.read() : Promise.resolve(second));
      return;
    }
    writeHead(res, status, statusText, headers);
    res.flushHeaders();
    await pump(res, reader, reader.read());
  } catch (error) {
    // Headers may be out already: all that is left is to cut the connection.
    res.destroy(error as Error);
    reader.cancel(error).catch(() => {});
  } finally {
    res.off('close', onClose);
  }
}

async function pump(res: ServerResponse, reader: ReadableStreamDefaultReader<Uint8Array>, next: Promise<Read | typeof PENDING>): Promise<void> {
  for (;;) {
    const read = (await next) as Read;
    if (read.done || res.destroyed) break;
    if (!res.write(read.value)) await drained(res);
    next = reader.read();
  }
  if (!res.destroyed) res.end();
}

function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
