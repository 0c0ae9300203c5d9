import { createHistogram, type EventLoopUtilization, type RecordableHistogram } from 'node:perf_hooks';
import type { WorkerStats } from '@switchyard/core';

/**
 * The part of a `worker_threads` Worker read here. Declared rather than
 * imported: this file's types are published, and Node's would make them
 * need @types/node.
 */
interface Thread {
  readonly performance: { eventLoopUtilization(current?: LoopUtilization, previous?: LoopUtilization): LoopUtilization };
}
interface LoopUtilization {
  idle: number;
  active: number;
  utilization: number;
}

/** Per-thread figures as `stats()` reports them; times in milliseconds. */
export interface PoolThreadFigures {
  /** Requests the thread finished since it started (replacements start at 0). */
  tasks: number;
  /** Share of time the thread's event loop was busy since the previous `stats()`, 0..1. */
  utilization: number;
  /** Time from the thread picking a request up to its response (head), since the previous `stats()`. */
  runP50Ms: number;
  runP99Ms: number;
  /** Time a request waited for the thread: the main thread's queue plus the crossing, since the previous `stats()`. */
  waitP50Ms: number;
  waitP99Ms: number;
  /** Times this thread was replaced after crashing or hanging. */
  restarts: number;
}

/** One entry of `stats().workers` under the pool. */
export interface PoolWorkerStats extends WorkerStats, PoolThreadFigures {
  /** The thread's `worker_threads` id; changes when the thread is replaced. */
  threadId: number | undefined;
  /** True for the express lane, the thread that takes only cheap requests while the others are busy. */
  express: boolean;
}

function percentileMs(histogram: RecordableHistogram, p: number): number {
  return histogram.count ? histogram.percentile(p) / 1000 : 0;
}

/** Run and wait histograms of one thread, kept on the main thread so a stuck thread still reports. */
export class ThreadStats {
  tasks = 0;
  restarts = 0;
  readonly #run = createHistogram();
  readonly #wait = createHistogram();
  #lastElu: EventLoopUtilization | undefined;
  /** `/metrics` keeps its own reading, so a scrape and `stats()` do not reset each other. */
  #scrapeElu: EventLoopUtilization | undefined;

  record(runMs: number, waitMs: number): void {
    this.tasks++;
    // Histograms take positive integers: record microseconds.
    this.#run.record(Math.max(1, Math.round(runMs * 1000)));
    this.#wait.record(Math.max(1, Math.round(waitMs * 1000)));
  }

  /** A new thread took over: its loop's readings start again. */
  replaced(): void {
    this.tasks = 0;
    this.#lastElu = undefined;
    this.#scrapeElu = undefined;
  }

  /** Share of time the thread's loop was busy since the previous scrape, 0..1. */
  utilizationSinceScrape(worker: Thread | undefined): number {
    if (!worker) return 0;
    const elu = worker.performance.eventLoopUtilization();
    const utilization = this.#scrapeElu ? worker.performance.eventLoopUtilization(elu, this.#scrapeElu).utilization : elu.utilization;
    this.#scrapeElu = elu;
    return Number.isFinite(utilization) ? utilization : 0;
  }

  read(worker: Thread | undefined): PoolThreadFigures {
    let utilization = 0;
    if (worker) {
      const elu = worker.performance.eventLoopUtilization();
      utilization = this.#lastElu ? worker.performance.eventLoopUtilization(elu, this.#lastElu).utilization : elu.utilization;
      this.#lastElu = elu;
    }
    const figures: PoolThreadFigures = {
      tasks: this.tasks,
      utilization: Number.isFinite(utilization) ? utilization : 0,
      runP50Ms: percentileMs(this.#run, 50),
      runP99Ms: percentileMs(this.#run, 99),
      waitP50Ms: percentileMs(this.#wait, 50),
      waitP99Ms: percentileMs(this.#wait, 99),
      restarts: this.restarts,
    };
    this.#run.reset();
    this.#wait.reset();
    return figures;
  }
}
