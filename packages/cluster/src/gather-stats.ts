import type { LoopMonitor } from '@switchyard/core';
import type { ClusterStats, ClusterWorkerStats } from './stats.js';
import type { Supervisor } from './supervisor.js';

/** What the primary itself holds: connections waiting for a process, and those it refused. */
export interface PrimaryFigures {
  readonly queued: number;
  readonly rejected: number;
}

/** Asks every live process (or thread) for its figures over its channel, and adds them up. */
export async function gatherStats(
  supervisor: Supervisor,
  backend: 'cluster' | 'threads',
  primary: PrimaryFigures,
  monitor: LoopMonitor,
  timeoutMs: number,
): Promise<ClusterStats> {
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
      eventLoop:
        figures?.eventLoop ?? (starting ? { delayP50Ms: 0, delayP99Ms: 0, utilization: 0 } : { delayP50Ms: silentMs, delayP99Ms: silentMs, utilization: 1 }),
      rssBytes: figures?.rssBytes ?? handle.rssBytes,
      ...(figures?.websockets !== undefined && { websockets: figures.websockets }),
      restarts: supervisor.restartsOf(handle.slot),
      uptimeMs: now - handle.startedAt,
      responding: starting ? silentMs <= timeoutMs : figures !== undefined,
    };
  });
  workers.sort((a, b) => a.id - b.id || a.pid - b.pid);
  const sum = (pick: (row: ClusterWorkerStats) => number) => workers.reduce((total, row) => total + pick(row), 0);
  const primaryRss = process.memoryUsage.rss();
  return {
    backend,
    requests: supervisor.retiredRequests + sum((row) => row.requests),
    inFlight: sum((row) => row.inFlight),
    queued: primary.queued,
    rejected: primary.rejected + sum((row) => row.rejected),
    eventLoop: monitor.read(),
    workers,
    // Threads share the primary's process: its RSS is all of theirs.
    rssBytes: backend === 'threads' ? primaryRss : primaryRss + sum((row) => row.rssBytes),
    restarts: supervisor.restarts,
    ...(workers.some((row) => row.websockets !== undefined) && { websockets: sum((row) => row.websockets ?? 0) }),
    primary: { pid: process.pid, rssBytes: primaryRss },
  };
}
