import type { ServerResponse } from 'node:http';
import { hasHeader } from './headers.js';
import { writeHead } from './head.js';

type Read = ReadableStreamReadResult<Uint8Array>;

/** Microtask turns to wait for a read: undici's reads of a body it already holds settle in two. */
export const SOON_TURNS = 3;

const FIRST = 0; // waiting on the first read, head not sent
const SECOND = 1; // the first chunk is in hand: waiting on the second, head not sent
const PUMP = 2; // head sent: every read is written as it comes
const OVER = 3;

const PENDING = 0;
const SETTLED = 1;
const FAILED = 2;

/**
 * Sends a stream body. A body that is already complete (a native Response
 * from a string) goes out with a content-length, like the fast path; one
 * still pending gets its head flushed after a few microtask turns, so SSE
 * clients see the response at once; the rest is written with backpressure
 * and cancelled if the client leaves.
 *
 * Callbacks on one object rather than async functions: a response held open
 * for minutes (an event stream, a long poll) then keeps this object and its
 * pending read, not suspended frames and promise chains (about 1 KiB less
 * per held connection).
 */
export class StreamSender {
  readonly #res: ServerResponse;
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #status: number;
  readonly #statusText: string;
  #headers: string[] | undefined;
  readonly #onEnd: () => void;
  #phase = FIRST;
  #state = PENDING;
  #result: Read | undefined;
  #error: unknown;
  #first: Uint8Array | undefined;
  #turnsLeft = 0;

  constructor(res: ServerResponse, status: number, statusText: string, headers: string[], body: ReadableStream<Uint8Array>, onEnd: () => void) {
    this.#res = res;
    this.#status = status;
    this.#statusText = statusText;
    this.#headers = headers;
    this.#onEnd = onEnd;
    this.#reader = body.getReader();
  }

  start(): void {
    this.#read();
    this.#watch();
  }

  #read(): void {
    this.#state = PENDING;
    this.#reader.read().then(this.#onRead, this.#onError);
  }

  readonly #onRead = (result: Read): void => {
    if (this.#phase === PUMP) this.#guard(() => this.#written(result));
    else if (this.#phase !== OVER) {
      this.#state = SETTLED;
      this.#result = result;
    }
  };

  readonly #onError = (error: unknown): void => {
    if (this.#phase === PUMP) this.#fail(error);
    else if (this.#phase !== OVER) {
      this.#state = FAILED;
      this.#error = error;
    }
  };

  /**
   * Gives the outstanding read SOON_TURNS microtask turns to settle, then
   * decides. The callbacks here are made per turn, not kept: a held response
   * keeps only the three it needs for good.
   */
  #watch(): void {
    this.#turnsLeft = SOON_TURNS;
    if (this.#state === PENDING) queueMicrotask(() => this.#tick());
    else this.#guard(() => this.#decide());
  }

  #tick(): void {
    if (--this.#turnsLeft > 0 && this.#state === PENDING) queueMicrotask(() => this.#tick());
    else this.#guard(() => this.#decide());
  }

  #decide(): void {
    if (this.#state === FAILED) throw this.#error;
    const result = this.#state === SETTLED ? this.#result! : undefined;
    this.#result = undefined;
    if (this.#phase === FIRST) {
      if (result?.done) return this.#whole(null);
      if (result) {
        this.#first = result.value;
        this.#phase = SECOND;
        this.#read();
        return this.#watch();
      }
      this.#head();
      this.#res.flushHeaders();
      return this.#pump(undefined);
    }
    const first = this.#first!;
    this.#first = undefined;
    if (result?.done) return this.#whole(first);
    this.#head();
    this.#res.write(first);
    this.#pump(result);
  }

  /** The whole body is in hand: one head with its length, one end. */
  #whole(body: Uint8Array | null): void {
    const headers = this.#headers!;
    if (body && !hasHeader(headers, 'content-length') && !hasHeader(headers, 'transfer-encoding')) {
      headers.push('content-length', String(body.byteLength));
    }
    this.#head();
    this.#res.end(body ?? undefined);
    this.#finish();
  }

  #head(): void {
    const headers = this.#headers!;
    // Node keeps its own copy of the head: this list is not needed again.
    this.#headers = undefined;
    writeHead(this.#res, this.#status, this.#statusText, headers);
  }

  /** The head is out: from now on each read is written when it comes; `inHand` is one already settled. */
  #pump(inHand: Read | undefined): void {
    this.#phase = PUMP;
    // Only a body still streaming needs to hear that the client left; one that left earlier shows as destroyed.
    if (this.#res.destroyed) {
      this.#cancel();
      return this.#finish();
    }
    this.#res.on('close', this.#cancel);
    if (inHand) this.#written(inHand);
  }

  #written(result: Read): void {
    const res = this.#res;
    if (result.done || res.destroyed) {
      if (!res.destroyed) res.end();
      return this.#finish();
    }
    if (res.write(result.value)) return this.#read();
    // Made only when the client is slow: most held responses never need it.
    const drained = () => {
      res.off('drain', drained);
      res.off('close', drained);
      this.#read();
    };
    res.on('drain', drained);
    res.on('close', drained);
  }

  readonly #cancel = (): void => {
    if (!this.#res.writableFinished) this.#reader.cancel(new DOMException('The client closed the connection', 'AbortError')).catch(() => {});
  };

  /** Runs `step`; anything it throws ends the response (the head may be out already: then the connection is cut). */
  #guard(step: () => void): void {
    try {
      step();
    } catch (error) {
      this.#fail(error);
    }
  }

  #fail(error: unknown): void {
    if (this.#phase === OVER) return;
    this.#res.destroy(error as Error);
    this.#reader.cancel(error).catch(() => {});
    this.#finish();
  }

  #finish(): void {
    if (this.#phase === OVER) return;
    this.#phase = OVER;
    this.#res.off('close', this.#cancel);
    this.#onEnd();
  }
}
