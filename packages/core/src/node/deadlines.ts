/**
 * Request timeouts with one timer for all requests. Every request gets the
 * same timeout, so deadlines fall in arrival order: a Map (which iterates in
 * insertion order) holds them, the timer is armed for the oldest, and a
 * finished request is a Map delete. A timer per request would cost an
 * allocation and a heap insert on the hot path.
 */
export class Deadlines<T> {
  readonly #timeoutMs: number;
  readonly #onExpire: (item: T) => void;
  readonly #entries = new Map<T, number>();
  #timer: NodeJS.Timeout | undefined;

  constructor(timeoutMs: number, onExpire: (item: T) => void) {
    this.#timeoutMs = timeoutMs;
    this.#onExpire = onExpire;
  }

  add(item: T, now: number): void {
    this.#entries.set(item, now + this.#timeoutMs);
    if (!this.#timer) this.#arm(this.#timeoutMs);
  }

  delete(item: T): void {
    this.#entries.delete(item);
  }

  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#entries.clear();
  }

  #arm(ms: number): void {
    this.#timer = setTimeout(this.#fire, Math.max(1, Math.ceil(ms)));
    // Pending deadlines alone must not keep a closing process alive.
    this.#timer.unref();
  }

  readonly #fire = () => {
    this.#timer = undefined;
    const now = performance.now();
    for (const [item, deadline] of this.#entries) {
      if (deadline > now) {
        this.#arm(deadline - now);
        return;
      }
      this.#entries.delete(item);
      this.#onExpire(item);
    }
  };
}
