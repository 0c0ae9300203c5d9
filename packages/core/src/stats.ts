import { monitorEventLoopDelay, performance, type EventLoopUtilization, type IntervalHistogram } from 'node:perf_hooks';
import type { LoopStats } from './types.js';

/**
 * Watches the event loop of the current thread: delay percentiles from
 * `monitorEventLoopDelay`, and utilisation between two readings.
 */
export class LoopMonitor {
  readonly #delay: IntervalHistogram;
  #lastElu: EventLoopUtilization;

  constructor(resolutionMs = 10) {
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
      delayP50Ms: count ? this.#delay.percentile(50) / 1e6 : 0,
      delayP99Ms: count ? this.#delay.percentile(99) / 1e6 : 0,
      utilization: Number.isFinite(utilization) ? utilization : 0,
    };
    this.#delay.reset();
    return stats;
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
