/**
 * Inside a pool thread: turns the app's Response into messages. A body that
 * is complete (a FastResponse, or a native one whose stream is already
 * done) goes back inline in one message. Anything still being produced goes
 * as a head, then chunks, paced by the main thread's credit so that a slow
 * client never makes the thread buffer without bound.
 */
import { fastResponseState } from '@switchyard/core/response';
import { flattenHeaders, hasHeader, PENDING, settledSoon } from '@switchyard/core/node';
import { toErrorData } from './errors.js';
import { CHUNK, END, HEAD, RESPONSE, STREAM_ERROR, type FromThread, type HeadMessage, type ResponseMessage } from './messages.js';
import type { Outbox } from './outbox.js';

type Out = Outbox<FromThread>;

/**
 * A copy of `bytes` in a buffer of its own, ready to transfer. The app may
 * keep and reuse the buffer it gave (a cached body, a constant chunk), and
 * a small Buffer is a view on an 8 KiB shared slab: transferring either
 * would detach memory that is not ours. One copy, then no more.
 */
export function ownCopy(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes);
}

export interface Timing {
  runMs: number;
  costMs: number;
}

/** Sends a whole response. Returns undefined, or the pump when the body streams. */
export function reply(port: Out, id: number, response: Response, timing: Timing, window: number): StreamPump | undefined {
  const fast = fastResponseState(response);
  if (fast) {
    const headers = flattenHeaders(fast.headers);
    if (fast.defaultContentType !== undefined && !hasHeader(headers, 'content-type')) {
      headers.push('content-type', fast.defaultContentType);
    }
    const body = fast.body;
    if (body === null || typeof body === 'string') {
      post(port, { t: RESPONSE, id, status: fast.status, statusText: fast.statusText, headers, body, ...timing });
    } else {
      const copy = ownCopy(body);
      post(port, { t: RESPONSE, id, status: fast.status, statusText: fast.statusText, headers, body: copy, ...timing }, copy);
    }
    return undefined;
  }
  const headers = flattenHeaders(response.headers);
  const body = response.body;
  if (body === null) {
    post(port, { t: RESPONSE, id, status: response.status, statusText: response.statusText, headers, body: null, ...timing });
    return undefined;
  }
  const pump = new StreamPump(port, id, body, window);
  pump.start(response.status, response.statusText, headers, timing);
  return pump;
}

function post(port: Out, message: ResponseMessage | HeadMessage, transfer?: Uint8Array | null): void {
  port.push(message, transfer ? (transfer.buffer as ArrayBuffer) : undefined);
}

/**
 * Moves one body stream to the main thread. It reads a chunk only while the
 * bytes sent and not yet credited are under `window`, so the stream's source
 * is pulled no faster than the client takes the data.
 */
export class StreamPump {
  readonly #port: Out;
  readonly #id: number;
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #window: number;
  #outstanding = 0;
  #waiting: (() => void) | undefined;
  #stopped = false;
  /** Settles when the stream has ended, failed or been cancelled. */
  done: Promise<void> = Promise.resolve();

  constructor(port: Out, id: number, body: ReadableStream<Uint8Array>, window: number) {
    this.#port = port;
    this.#id = id;
    this.#reader = body.getReader();
    this.#window = window;
  }

  start(status: number, statusText: string, headers: string[], timing: Timing): void {
    this.done = this.#run(status, statusText, headers, timing);
  }

  /** The main thread wrote `bytes` to the client. */
  credit(bytes: number): void {
    this.#outstanding -= bytes;
    if (this.#outstanding < this.#window) this.#wake();
  }

  /** The client left, the request timed out or the server is closing. */
  cancel(reason: unknown): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#wake();
    this.#reader.cancel(reason).catch(() => {});
  }

  #wake(): void {
    const waiting = this.#waiting;
    this.#waiting = undefined;
    waiting?.();
  }

  async #run(status: number, statusText: string, headers: string[], timing: Timing): Promise<void> {
    const id = this.#id;
    const port = this.#port;
    try {
      // A body that is already complete (a native Response from a string)
      // goes back inline, like a FastResponse; a pending one sends its head
      // at once, so SSE clients see the response straight away.
      let next = this.#reader.read();
      const first = await settledSoon(next);
      if (first !== PENDING && first.done) {
        post(port, { t: RESPONSE, id, status, statusText, headers, body: null, ...timing });
        return;
      }
      let chunk: Uint8Array | null = null;
      if (first !== PENDING) {
        chunk = ownCopy(first.value);
        next = this.#reader.read();
        const second = await settledSoon(next);
        if (second !== PENDING && second.done) {
          post(port, { t: RESPONSE, id, status, statusText, headers, body: chunk, ...timing }, chunk);
          return;
        }
        this.#outstanding += chunk.byteLength;
      }
      post(port, { t: HEAD, id, status, statusText, headers, chunk, ...timing }, chunk);
      // `next` is the read already asked for; each later one waits for credit.
      for (;;) {
        const read = await next;
        if (this.#stopped) return;
        if (read.done) break;
        const copy = ownCopy(read.value);
        this.#outstanding += copy.byteLength;
        port.push({ t: CHUNK, id, chunk: copy }, copy.buffer as ArrayBuffer);
        if (this.#outstanding >= this.#window) await new Promise<void>((resolve) => (this.#waiting = resolve));
        if (this.#stopped) return;
        next = this.#reader.read();
      }
      port.push({ t: END, id });
    } catch (error) {
      if (this.#stopped) return;
      port.push({ t: STREAM_ERROR, id, error: toErrorData(error) });
      this.#reader.cancel(error).catch(() => {});
    } finally {
      this.#stopped = true;
    }
  }
}
