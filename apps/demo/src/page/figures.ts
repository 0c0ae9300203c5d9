import type { BackendName } from '@switchyard/core';

/** The channel every context publishes its figures on, once a second. */
export const STATS_CHANNEL = 'demo:stats';

/** One context's figures for the last second, as published on {@link STATS_CHANNEL}. */
export interface WorkerFigures {
  backend: BackendName;
  workerId: number;
  pid: number;
  /** Requests answered since the context started. */
  requests: number;
  rps: number;
  /** 99th-percentile handler time, in milliseconds. */
  p99Ms: number;
  /** 99th-percentile event-loop delay, in milliseconds. */
  loopDelayP99Ms: number;
  /** Share of the second the event loop was busy, 0..1. */
  elu: number;
}

/** One context as `/stats/events` reports it: its figures, and its role. */
export interface SnapshotWorker extends WorkerFigures {
  /**
   * The pool's express lane: the thread beside the N serving threads that
   * takes only cheap requests while they are busy (packages/pool/README.md).
   */
  expressLane: boolean;
}

/** What `/stats/events` sends as each `event: stats`. */
export interface StatsSnapshot {
  backend: BackendName;
  /** Every context heard from recently, by worker id. */
  workers: SnapshotWorker[];
  totals: {
    /** Requests answered since start, by the contexts listed. */
    requests: number;
    rps: number;
    /** The highest p99 of any worker: percentiles of separate contexts cannot be merged exactly. */
    p99Ms: number;
  };
}
