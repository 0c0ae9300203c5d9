/**
 * Requests waiting on the main thread for a thread to take them, in three
 * lanes served in order: requests known to be cheap, so a health check does
 * not wait behind thirty 2 ms renders; then requests not yet known to be
 * either (a route never seen, or one that looks cheap on average but not
 * yet reliably), so a cheap route is not held behind the expensive ones
 * while it proves itself; then the expensive ones. The expensive lane still
 * gets one turn in every `FAST_IN_A_ROW + 1` while others wait, so it
 * cannot starve. A request waits in the lane its route had when it came;
 * one of a route learnt since leaves the unsure lane as it reaches its
 * head (`relane`), so a flood that came before its route was known does
 * not hold up the requests behind it that are still unknown.
 */

import { Fifo } from '@switchyard/core/node';

const FAST_IN_A_ROW = 8;

export const FAST_LANE = 0;
export const UNSURE_LANE = 1;
export const SLOW_LANE = 2;
export type Lane = typeof FAST_LANE | typeof UNSURE_LANE | typeof SLOW_LANE;

export interface Queued {
  /** False once the entry left the queue some other way (timeout, client gone). */
  readonly waiting: boolean;
  readonly lane: Lane;
}

/** The lane an entry of the unsure lane belongs in now, its own `lane` updated to match; UNSURE_LANE to stay. */
export type Relane<T> = (item: T) => Lane;

export class RequestQueue<T extends Queued> {
  readonly #lanes = [new Fifo<T>(), new Fifo<T>(), new Fifo<T>()] as const;
  readonly #relane: Relane<T> | undefined;
  #size = 0;
  #fastInARow = 0;

  constructor(relane?: Relane<T>) {
    this.#relane = relane;
  }

  get size(): number {
    return this.#size;
  }

  push(item: T): void {
    this.#lanes[item.lane].push(item);
    this.#size++;
  }

  /** Call when an entry stops waiting without being taken. */
  removed(): void {
    this.#size--;
  }

  /** The lanes' heads in the order they should be served. */
  candidates(): T[] {
    const heads: T[] = [];
    // First: it may move entries to the other lanes' tails.
    const unsure = this.#unsureHead();
    const slow = this.#head(this.#lanes[SLOW_LANE]);
    if (slow && this.#fastInARow >= FAST_IN_A_ROW) heads.push(slow);
    const fast = this.#head(this.#lanes[FAST_LANE]);
    if (fast) heads.push(fast);
    if (unsure) heads.push(unsure);
    if (slow && this.#fastInARow < FAST_IN_A_ROW) heads.push(slow);
    return heads;
  }

  /** The unsure lane's head, once every entry ahead of it whose route was learnt has moved to its lane. */
  #unsureHead(): T | undefined {
    const lane = this.#lanes[UNSURE_LANE];
    for (;;) {
      const item = this.#head(lane);
      if (item === undefined || this.#relane === undefined) return item;
      const now = this.#relane(item);
      if (now === UNSURE_LANE) return item;
      lane.shift();
      this.#lanes[now].push(item);
    }
  }

  /**
   * Makes room in a full queue for an entry of `lane` by taking out the
   * newest entry that waits in a lower lane: an expensive one, or, for a
   * cheap newcomer, an unsure one (for an unsure newcomer, an unsure one
   * whose route was learnt expensive since it came). The caller refuses it
   * as it would have refused the newcomer. Undefined when every waiting
   * entry ranks with the newcomer or above: the newcomer is refused.
   */
  evictFor(lane: Lane): T | undefined {
    if (lane === SLOW_LANE) return undefined;
    const slow = this.#newest(this.#lanes[SLOW_LANE]);
    const unsure = slow ? undefined : this.#newest(this.#lanes[UNSURE_LANE]);
    const victim = slow ?? (unsure && (lane === FAST_LANE || this.#relane?.(unsure) === SLOW_LANE) ? unsure : undefined);
    if (!victim) return undefined;
    this.#lanes[slow ? SLOW_LANE : UNSURE_LANE].pop();
    this.#size--;
    return victim;
  }

  /** The newest entry still waiting in `lane`; those behind it that left are dropped. */
  #newest(lane: Fifo<T>): T | undefined {
    let item = lane.last();
    while (item !== undefined && !item.waiting) {
      lane.pop();
      item = lane.last();
    }
    return item;
  }

  /** Removes `item`, which must be a lane's head from `candidates()`. */
  take(item: T): void {
    this.#lanes[item.lane].shift();
    if (item.lane === SLOW_LANE) this.#fastInARow = 0;
    else this.#fastInARow = this.#head(this.#lanes[SLOW_LANE]) ? this.#fastInARow + 1 : 0;
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
