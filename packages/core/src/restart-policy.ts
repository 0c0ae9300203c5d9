/**
 * When to respawn a process that died, and when to give up. A process that
 * fails quickly (before it is ready, or within `minUptimeMs` of starting)
 * doubles the delay before the next try; `crashLoopLimit` quick failures in
 * a row stop the server, as systemd's start limit does, instead of spinning.
 * A process that ran long enough resets the count.
 */
export interface BackoffOptions {
  restartDelayMs: number;
  maxRestartDelayMs: number;
  crashLoopLimit: number;
}

export interface RestartDecision {
  /** Wait this long before respawning. */
  delayMs: number;
  /** Quick failures in a row, this one included. */
  failures: number;
  /** Give up: the slot is crash looping. */
  crashLoop: boolean;
}

export class RestartPolicy {
  readonly #options: BackoffOptions;
  #failures = 0;

  constructor(options: BackoffOptions) {
    this.#options = options;
  }

  /** Records a death and says what to do about it. */
  died(quick: boolean): RestartDecision {
    this.#failures = quick ? this.#failures + 1 : 0;
    const { restartDelayMs, maxRestartDelayMs, crashLoopLimit } = this.#options;
    const doublings = Math.max(0, this.#failures - 1);
    // 2 ** 31 already passes any delay a timer accepts.
    const delayMs = Math.min(maxRestartDelayMs, restartDelayMs * 2 ** Math.min(doublings, 31));
    return { delayMs, failures: this.#failures, crashLoop: this.#failures >= crashLoopLimit };
  }

  /** Quick failures in a row so far. */
  get failures(): number {
    return this.#failures;
  }

  /** Forgets earlier failures, once a process has proved it can start. */
  reset(): void {
    this.#failures = 0;
  }
}
