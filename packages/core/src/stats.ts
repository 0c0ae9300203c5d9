import { monitorEventLoopDelay, performance, type EventLoopUtilization, type IntervalHistogram } from 'node:perf_hooks';
import type { LoopStats } from './types.js';

/**
 * Watches the event loop of the current thread: delay percentiles from
 * `monitorEventLoopDelay`, and utilisation between two readings.
 * Node's histogram records the whole interval between two ticks of its
 * sampling timer, so an idle loop reads as the resolution; the figures here
 * are the lateness beyond it, which is what a waiting client feels.
 */
export class LoopMonitor {
  readonly #delay: IntervalHistogram;
  readonly #resolutionMs: number;
  #lastElu: EventLoopUtilization;

  constructor(resolutionMs = 10) {
    this.#resolutionMs = resolutionMs;
    this.#delay = monitorEventLoopDelay({ resolution: resolutionMs });
    this.#delay.enable();
    this.#lastElu = performance.eventLoopUtilization();
  }

  /** Figures since the previous read; the delay histogram restarts after each read. */
  read(): LoopStats {
    const elu = performance.eventLoopUtilization();
    const utilization = performance.eventLoopUtilization(elu, this.#lastElu).utilization;
    this.#lastElu = elu;
    const count = this.#delay.count;
    const stats: LoopStats = {
      delayP50Ms: count ? this.#lateness(50) : 0,
      delayP99Ms: count ? this.#lateness(99) : 0,
      utilization: Number.isFinite(utilization) ? utilization : 0,
    };
    this.#delay.reset();
    return stats;
  }

  #lateness(percentile: number): number {
    return Math.max(0, this.#delay.percentile(percentile) / 1e6 - this.#resolutionMs);
  }

  stop(): void {
    this.#delay.disable();
  }
}

/** Request counters every backend keeps for `stats()`. */
export class RequestCounters {
  requests = 0;
  inFlight = 0;
  rejected = 0;
}
