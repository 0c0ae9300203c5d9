import type { LoopMonitor, LoopStats, ServerStats, WorkerStats } from '@switchyard/core';
import type { Balancer } from './balancer.js';
import type { ProcessState } from './process-handle.js';
import type { Supervisor } from './supervisor.js';

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

/** Asks every live process for its figures over IPC, and adds them up. */
export async function gatherStats(supervisor: Supervisor, balancer: Balancer, monitor: LoopMonitor, timeoutMs: number): Promise<ClusterStats> {
  const handles = supervisor.processes();
  // A process still starting has nothing to report yet, and would only make everyone wait.
  const replies = await Promise.all(handles.map((handle) => (handle.state === 'starting' ? undefined : handle.requestStats(timeoutMs))));
  const now = Date.now();
  const workers = handles.map((handle, i): ClusterWorkerStats => {
    const figures = replies[i];
    const silentMs = now - handle.lastBeat;
    const starting = handle.state === 'starting';
    return {
      id: handle.slot,
      pid: handle.pid,
      state: handle.state,
      requests: figures?.requests ?? handle.requests,
      inFlight: figures?.inFlight ?? 0,
      rejected: figures?.rejected ?? 0,
      eventLoop: figures?.eventLoop ?? (starting ? { delayP50Ms: 0, delayP99Ms: 0, utilization: 0 } : { delayP50Ms: silentMs, delayP99Ms: silentMs, utilization: 1 }),
      rssBytes: figures?.rssBytes ?? handle.rssBytes,
      restarts: supervisor.restartsOf(handle.slot),
      uptimeMs: now - handle.startedAt,
      responding: starting ? silentMs <= timeoutMs : figures !== undefined,
    };
  });
  workers.sort((a, b) => a.id - b.id || a.pid - b.pid);
  const sum = (pick: (row: ClusterWorkerStats) => number) => workers.reduce((total, row) => total + pick(row), 0);
  const primaryRss = process.memoryUsage.rss();
  return {
    backend: 'cluster',
    requests: supervisor.retiredRequests + sum((row) => row.requests),
    inFlight: sum((row) => row.inFlight),
    queued: balancer.queued,
    rejected: balancer.rejected + sum((row) => row.rejected),
    eventLoop: monitor.read(),
    workers,
    rssBytes: primaryRss + sum((row) => row.rssBytes),
    restarts: supervisor.restarts,
    primary: { pid: process.pid, rssBytes: primaryRss },
  };
}
