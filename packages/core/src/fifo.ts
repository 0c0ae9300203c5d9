/**
 * A first-in, first-out queue whose `shift` costs the same however long it
 * grows (an array's `shift` copies the rest): the pool's lanes of waiting
 * requests, the cluster primary's waiting connections. Its items are never
 * `undefined`.
 */
export class Fifo<T> {
  #items: (T | undefined)[] = [];
  #head = 0;

  get length(): number {
    return this.#items.length - this.#head;
  }

  push(item: T): void {
    this.#items.push(item);
  }

  /** Puts `items` before everything else, in their order. */
  unshift(items: readonly T[]): void {
    this.#items = [...items, ...this.#items.slice(this.#head)];
    this.#head = 0;
  }

  /** The oldest entry. */
  peek(): T | undefined {
    return this.#items[this.#head];
  }

  /** The newest entry. */
  last(): T | undefined {
    return this.#head === this.#items.length ? undefined : this.#items[this.#items.length - 1];
  }

  /** The oldest entry, taken out. */
  shift(): T | undefined {
    if (this.#head === this.#items.length) return undefined;
    const item = this.#items[this.#head];
    this.#items[this.#head++] = undefined;
    // Drop what was taken once it is most of the array: each item is copied at most once more.
    if (this.#head === this.#items.length) this.#clear();
    else if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return item;
  }

  /** The newest entry, taken out. */
  pop(): T | undefined {
    if (this.#head === this.#items.length) return undefined;
    const item = this.#items.pop();
    if (this.#head === this.#items.length) this.#clear();
    return item;
  }

  /** Empties the queue, returning what it held, oldest first. */
  drain(): T[] {
    const items = this.#items.slice(this.#head) as T[];
    this.#clear();
    return items;
  }

  #clear(): void {
    this.#items = [];
    this.#head = 0;
  }
}
