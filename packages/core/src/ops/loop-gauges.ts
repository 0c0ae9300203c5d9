import { monitorEventLoopDelay, performance, type EventLoopUtilization, type IntervalHistogram } from 'node:perf_hooks';
import { gauge, type MetricJson } from './metric-json.js';

const RESOLUTION_MS = 10;

/**
 * Event-loop delay and utilisation of this thread, and this process's
 * RSS, for `/metrics`. Its own readings, apart from `stats()`'s, so a
 * scrape and a `stats()` call do not reset each other's figures.
 */
export class LoopGauges {
  readonly #delay: IntervalHistogram;
  #lastElu: EventLoopUtilization;

  constructor() {
    this.#delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
    this.#delay.enable();
    this.#lastElu = performance.eventLoopUtilization();
  }

  /** Figures since the previous call, labelled with `labels`; `rss` false where another thread reports the process. */
  toJson(labels: Record<string, string>, rss = true): MetricJson[] {
    const elu = performance.eventLoopUtilization();
    const utilization = performance.eventLoopUtilization(elu, this.#lastElu).utilization;
    this.#lastElu = elu;
    const lateness = (p: number) => (this.#delay.count ? Math.max(0, this.#delay.percentile(p) / 1e6 - RESOLUTION_MS) / 1000 : 0);
    const metrics = [
      gauge('switchyard_event_loop_delay_p50_seconds', 'Median event-loop delay since the previous scrape.', [{ value: lateness(50), labels }]),
      gauge('switchyard_event_loop_delay_p99_seconds', '99th-percentile event-loop delay since the previous scrape.', [{ value: lateness(99), labels }]),
      gauge('switchyard_event_loop_utilization', 'Share of time the event loop was busy since the previous scrape, 0..1.', [
        { value: Number.isFinite(utilization) ? utilization : 0, labels },
      ]),
    ];
    this.#delay.reset();
    if (rss)
      metrics.push(gauge('switchyard_process_resident_memory_bytes', 'Resident set size of the process.', [{ value: process.memoryUsage.rss(), labels }]));
    return metrics;
  }

  stop(): void {
    this.#delay.disable();
  }
}
