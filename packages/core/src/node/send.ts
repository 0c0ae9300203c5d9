import type { ServerResponse } from 'node:http';
import { writeHead } from './head.js';
import type { ReadResult } from '../fetch-types.js';
import { fastResponseState } from '../response.js';
import { flattenHeaders, hasHeader } from './headers.js';
import { SOON_TURNS, StreamSender } from './stream-sender.js';

export const PENDING = Symbol('pending');
type Read = ReadResult<Uint8Array>;

/** Watches one read for `settledSoon`, with its two callbacks made once. */
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

/**
 * Writes a Fetch `Response` to a Node response. String and byte bodies go out
 * with one `writeHead` + `end` and an exact content-length; stream bodies are
 * pumped with backpressure and cancelled if the client leaves. With `onEnd`,
 * calls it once the response is over (at once for a whole body) and returns
 * nothing; without, returns a promise only when the body is streamed.
 */
export function sendResponse(res: ServerResponse, response: Response, onEnd?: () => void): Promise<void> | undefined {
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
    onEnd?.();
    return undefined;
  }
  const headers = flattenHeaders(response.headers);
  const body = response.body;
  if (body === null) {
    writeHead(res, response.status, response.statusText, headers);
    res.end();
    onEnd?.();
    return undefined;
  }
  return sendStream(res, response.status, response.statusText, headers, body, onEnd);
}

function sendStream(
  res: ServerResponse,
  status: number,
  statusText: string,
  headers: string[],
  body: ReadableStream<Uint8Array>,
  onEnd: (() => void) | undefined,
): Promise<void> | undefined {
  // With a callback, no promise is made: a held response keeps one object less.
  if (onEnd) return void new StreamSender(res, status, statusText, headers, body, onEnd).start();
  return new Promise((resolve) => new StreamSender(res, status, statusText, headers, body, resolve).start());
}
