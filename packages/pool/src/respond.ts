/**
 * On the main thread: writes what a pool thread sent back to the client.
 * Inline bodies go out with one `writeHead` + `end` and an exact
 * content-length; streamed bodies are written chunk by chunk, and the
 * thread is credited only for bytes the socket has taken.
 */
import type { ServerResponse } from 'node:http';
import { hasHeader, writeHead as head } from '@switchyard/core/node';

export function writeWhole(res: ServerResponse, status: number, statusText: string, headers: string[], body: string | Uint8Array | null): void {
  if (body !== null && !hasHeader(headers, 'content-length')) {
    headers.push('content-length', String(typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength));
  }
  head(res, status, statusText, headers);
  res.end(body ?? undefined);
}

/**
 * The main thread's end of one streamed body. Bytes count as taken once
 * `res.write` accepts them without backpressure, or at the next 'drain';
 * credit goes back in batches of a quarter window, so a fast client costs
 * one message per quarter window rather than one per chunk, and a thread
 * that has used its whole window always gets credit once the client reads.
 */
export class StreamSink {
  readonly #res: ServerResponse;
  readonly #credit: (bytes: number) => void;
  readonly #batch: number;
  #taken = 0;
  #held = 0;
  #waitingForDrain = false;

  constructor(res: ServerResponse, window: number, credit: (bytes: number) => void) {
    this.#res = res;
    this.#batch = Math.max(1, window >> 2);
    this.#credit = credit;
  }

  start(status: number, statusText: string, headers: string[], chunk: Uint8Array | null): void {
    head(this.#res, status, statusText, headers);
    // Send the head now even without a chunk, so SSE clients see the response open.
    if (chunk) this.write(chunk);
    else this.#res.flushHeaders();
  }

  write(chunk: Uint8Array): void {
    const res = this.#res;
    if (res.destroyed) return;
    if (res.write(chunk) && !this.#waitingForDrain) {
      this.#taken += chunk.byteLength;
      this.#maybeCredit();
      return;
    }
    this.#held += chunk.byteLength;
    if (!this.#waitingForDrain) {
      this.#waitingForDrain = true;
      res.once('drain', this.#onDrain);
    }
  }

  end(): void {
    this.#res.off('drain', this.#onDrain);
    if (!this.#res.destroyed) this.#res.end();
  }

  readonly #onDrain = () => {
    this.#waitingForDrain = false;
    this.#taken += this.#held;
    this.#held = 0;
    this.#maybeCredit();
  };

  #maybeCredit(): void {
    if (this.#taken < this.#batch) return;
    const bytes = this.#taken;
    this.#taken = 0;
    this.#credit(bytes);
  }
}
