/**
 * Messages published while Redis is away, in order, up to a count and a
 * byte size; past either, new ones are dropped and counted. Bounded, so an
 * outage costs at most this much memory however long it lasts.
 */
export class Outbox {
  readonly #maxMessages: number;
  readonly #maxBytes: number;
  #items: Buffer[] = [];
  #bytes = 0;
  dropped = 0;

  constructor(maxMessages: number, maxBytes: number) {
    this.#maxMessages = maxMessages;
    this.#maxBytes = maxBytes;
  }

  get capacity(): number {
    return this.#maxMessages;
  }

  get size(): number {
    return this.#items.length;
  }

  /** Keeps `frame`, or drops it when full; returns whether it was kept. */
  push(frame: Buffer): boolean {
    if (this.#items.length >= this.#maxMessages || this.#bytes + frame.length > this.#maxBytes) {
      this.dropped++;
      return false;
    }
    this.#items.push(frame);
    this.#bytes += frame.length;
    return true;
  }

  /** Everything kept, oldest first, leaving the outbox empty. */
  take(): Buffer[] {
    const items = this.#items;
    this.#items = [];
    this.#bytes = 0;
    return items;
  }
}
