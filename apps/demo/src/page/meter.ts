/** How many latencies one interval keeps for its p99; past this, newer ones overwrite older ones. */
const WINDOW = 4096;

/** This context's figures for one interval. */
export interface MeterReading {
  /** Requests answered since this context started. */
  requests: number;
  /** Requests per second over the interval. */
  rps: number;
  /** 99th-percentile handler time over the interval, in milliseconds. */
  p99Ms: number;
}

/**
 * Counts every request this context answers, for the page's live stats.
 * `record` runs on every request, so it only counts and stores a number;
 * the sorting happens once a second in `read`.
 */
class Meter {
  #requests = 0;
  #sinceRead = 0;
  readonly #latencies = new Float64Array(WINDOW);
  #lastRead = performance.now();

  record(durationMs: number, _status: number): void {
    this.#latencies[this.#sinceRead % WINDOW] = durationMs;
    this.#sinceRead++;
    this.#requests++;
  }

  /** Figures since the previous read; the interval starts again. */
  read(): MeterReading {
    const now = performance.now();
    const seconds = Math.max(now - this.#lastRead, 1) / 1000;
    const sample = this.#latencies.slice(0, Math.min(this.#sinceRead, WINDOW)).sort();
    const reading = { requests: this.#requests, rps: this.#sinceRead / seconds, p99Ms: percentile(sample, 0.99) };
    this.#sinceRead = 0;
    this.#lastRead = now;
    return reading;
  }
}

/** Nearest-rank percentile of sorted values; 0 when there are none. */
function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? 0;
}

export const meter = new Meter();
