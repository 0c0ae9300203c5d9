/**
 * Requests waiting on the main thread for a thread to take them. Two lanes:
 * requests expected to be cheap go before expensive ones, so a health check
 * does not wait behind thirty 2 ms renders. The expensive lane still gets
 * one turn in every `FAST_IN_A_ROW + 1` while both wait, so it cannot starve.
 */

const FAST_IN_A_ROW = 8;

/** A FIFO with O(1) push and shift; entries that left early are skipped. */
class Fifo<T> {
  #items: (T | undefined)[] = [];
  #head = 0;

  push(item: T): void {
    this.#items.push(item);
  }

  peek(): T | undefined {
    return this.#items[this.#head];
  }

  shift(): T | undefined {
    const item = this.#items[this.#head];
    if (item === undefined) return undefined;
    this.#items[this.#head++] = undefined;
    if (this.#head === this.#items.length) {
      this.#items = [];
      this.#head = 0;
    } else if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return item;
  }
}

export interface Queued {
  /** False once the entry left the queue some other way (timeout, client gone). */
  readonly waiting: boolean;
  readonly cheap: boolean;
}

export class RequestQueue<T extends Queued> {
  readonly #fast = new Fifo<T>();
  readonly #slow = new Fifo<T>();
  #size = 0;
  #fastInARow = 0;

  get size(): number {
    return this.#size;
  }

  push(item: T): void {
    (item.cheap ? this.#fast : this.#slow).push(item);
    this.#size++;
  }

  /** Call when an entry stops waiting without being taken. */
  removed(): void {
    this.#size--;
  }

  /** The lanes' heads in the order they should be served. */
  candidates(): T[] {
    const fast = this.#head(this.#fast);
    const slow = this.#head(this.#slow);
    if (!fast) return slow ? [slow] : [];
    if (!slow) return [fast];
    return this.#fastInARow >= FAST_IN_A_ROW ? [slow, fast] : [fast, slow];
  }

  /** Removes `item`, which must be a lane's head from `candidates()`. */
  take(item: T): void {
    if (item.cheap) {
      this.#fast.shift();
      this.#fastInARow = this.#head(this.#slow) ? this.#fastInARow + 1 : 0;
    } else {
      this.#slow.shift();
      this.#fastInARow = 0;
    }
    this.#size--;
  }

  #head(lane: Fifo<T>): T | undefined {
    let item = lane.peek();
    while (item !== undefined && !item.waiting) {
      lane.shift();
      item = lane.peek();
    }
    return item;
  }
}
