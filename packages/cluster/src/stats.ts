/**
 * The figures `stats()` reports. Only types, and none of Node's: they are
 * published, and the primary's machinery (gather-stats.ts) would make them
 * need @types/node.
 */
import type { LoopStats, RunningServer, ServerStats, WorkerStats } from '@switchyard/core';

/** A process's state, as its handle in the primary tracks it (process-handle.ts). */
export type ProcessState = 'starting' | 'ready' | 'draining' | 'exited';

/** One process. */
export interface ClusterWorkerStats extends WorkerStats {
  /** The process slot, 1..N (`ctx.workerId`); a replacement keeps its slot's id. */
  id: number;
  pid: number;
  state: ProcessState;
  requests: number;
  inFlight: number;
  rejected: number;
  eventLoop: LoopStats;
  /** Resident memory of the process, in bytes. */
  rssBytes: number;
  /** WebSockets open in the process, when the app takes them. */
  websockets?: number;
  /** Times this slot's process was replaced: after a death, a reload or recycling. */
  restarts: number;
  uptimeMs: number;
  /**
   * False when the process did not answer in time (its event loop is stuck):
   * its figures are then the last heartbeat's, and its event-loop delay is
   * the time since that heartbeat. A process still starting is not asked;
   * it counts as responding while its heartbeats come.
   */
  responding: boolean;
}

export interface ClusterStats extends ServerStats {
  workers: ClusterWorkerStats[];
  /** Resident memory of every process, the primary included, in bytes. */
  rssBytes: number;
  /** Process replacements since start, all slots together. */
  restarts: number;
  /** The primary, which accepts connections and supervises; `eventLoop` is its loop. */
  primary: { pid: number; rssBytes: number };
}

/** What the cluster's (and the threads backend's) `serve()` resolves to. */
export interface SupervisedServer extends RunningServer {
  stats(): Promise<ClusterStats>;
  /**
   * Rolling restart, as on SIGHUP: one context at a time, each new one ready
   * before the old one drains. Rejects with `ERR_RELOAD_FAILED` (the old
   * ones keep serving) if a new one does not become ready.
   */
  reload(): Promise<void>;
}
