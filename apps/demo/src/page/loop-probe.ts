import { monitorEventLoopDelay, performance, type EventLoopUtilization } from 'node:perf_hooks';

const RESOLUTION_MS = 10;

/** This thread's event-loop delay and utilisation since the previous read. */
export class LoopProbe {
  readonly #delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  #lastElu: EventLoopUtilization = performance.eventLoopUtilization();

  constructor() {
    this.#delay.enable();
  }

  read(): { delayP99Ms: number; elu: number } {
    // The histogram records the whole interval between its timer's ticks, so an
    // idle loop reads as the resolution itself; the delay is what lies beyond it.
    const delayP99Ms = this.#delay.count ? Math.max(0, this.#delay.percentile(99) / 1e6 - RESOLUTION_MS) : 0;
    this.#delay.reset();
    const now = performance.eventLoopUtilization();
    const elu = performance.eventLoopUtilization(now, this.#lastElu).utilization;
    this.#lastElu = now;
    return { delayP99Ms, elu };
  }

  stop(): void {
    this.#delay.disable();
  }
}
