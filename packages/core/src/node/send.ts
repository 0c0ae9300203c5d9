import type { ServerResponse } from 'node:http';
import { fastResponseState } from '../response.js';
import { flattenHeaders, hasHeader } from './headers.js';

export const PENDING = Symbol('pending');
type Read = ReadableStreamReadResult<Uint8Array>;
/** Microtask turns to wait for a read: undici's reads of a body it already holds settle in two. */
const SOON_TURNS = 3;

/**
 * Watches one read at a time for `settledSoon`, with its two callbacks made
 * once. `sendStream` uses it directly for each read of a body and counts the
 * turns itself, so no extra async function or promise stands between a
 * complete native body and the socket (about 0.3 us a response on Node 20).
 */
class ReadProbe {
  #state = 0; // 0 pending, 1 fulfilled, 2 rejected
  #outcome: unknown;
  readonly #fulfilled = (result: Read) => {
    this.#state = 1;
    this.#outcome = result;
  };
  readonly #rejected = (error: unknown) => {
    this.#state = 2;
    this.#outcome = error;
  };

  watch(read: Promise<Read>): void {
    this.#state = 0;
    read.then(this.#fulfilled, this.#rejected);
  }

  get pending(): boolean {
    return this.#state === 0;
  }

  /** The read's result, PENDING if it has not settled, or its error thrown. */
  result(): Read | typeof PENDING {
    if (this.#state === 2) throw this.#outcome;
    return this.#state === 1 ? (this.#outcome as Read) : PENDING;
  }
}

/**
 * Resolves to the read's result if it settles within a few microtask turns
 * (a body the platform already holds: undici needs two), else to PENDING.
 * No timer: the turns are counted, so the answer is the same on any machine.
 * A flag and counted `await`s, not `Promise.race`: on Node 20 each race costs
 * about 1 µs, and a native Response pays for two of them (bench/README.md).
 */
export async function settledSoon(read: Promise<Read>, turns = SOON_TURNS): Promise<Read | typeof PENDING> {
  const probe = new ReadProbe();
  probe.watch(read);
  for (let turn = 0; turn < turns && probe.pending; turn++) await undefined;
  return probe.result();
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
  let onClose: (() => void) | undefined;
  try {
    // A body that is already complete (a native Response from a string) goes
    // out with a content-length, like the fast path; anything still pending
    // gets its head flushed now, so SSE clients see the response at once.
    const probe = new ReadProbe();
    const firstRead = reader.read();
    probe.watch(firstRead);
    for (let turn = 0; turn < SOON_TURNS && probe.pending; turn++) await undefined;
    const first = probe.result();
    if (first !== PENDING && first.done) {
      writeHead(res, status, statusText, headers);
      res.end();
      return;
    }
    let next = firstRead;
    if (first !== PENDING) {
      const secondRead = reader.read();
      probe.watch(secondRead);
      for (let turn = 0; turn < SOON_TURNS && probe.pending; turn++) await undefined;
      const second = probe.result();
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
      next = secondRead;
    } else {
      writeHead(res, status, statusText, headers);
      res.flushHeaders();
    }
    // Only a body still streaming needs to hear that the client left (a
    // complete one is out already); one that left earlier shows as destroyed.
    const cancel = () => {
      if (!res.writableFinished) reader.cancel(new DOMException('The client closed the connection', 'AbortError')).catch(() => {});
    };
    if (res.destroyed) {
      cancel();
      return;
    }
    onClose = cancel;
    res.on('close', onClose);
    await pump(res, reader, next);
  } catch (error) {
    // Headers may be out already: all that is left is to cut the connection.
    res.destroy(error as Error);
    reader.cancel(error).catch(() => {});
  } finally {
    if (onClose) res.off('close', onClose);
  }
}

async function pump(res: ServerResponse, reader: ReadableStreamDefaultReader<Uint8Array>, next: Promise<Read>): Promise<void> {
  for (;;) {
    const read = await next;
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
