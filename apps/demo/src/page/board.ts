import type { BackendName } from '@switchyard/core';
import type { SnapshotWorker, StatsSnapshot, WorkerFigures } from './figures.js';

/** A context not heard from for this long has gone (stopped, replaced, recycled). */
export const STALE_AFTER_MS = 3000;

/** The latest figures of every context, as one stats stream hears them. */
export class StatsBoard {
  readonly #latest = new Map<string, { figures: WorkerFigures; at: number }>();

  constructor(
    readonly backend: BackendName,
    readonly now: () => number = Date.now,
  ) {}

  add(figures: WorkerFigures): void {
    // pid too: a respawned cluster process reuses its worker id.
    this.#latest.set(`${figures.pid}:${figures.workerId}`, { figures, at: this.now() });
  }

  snapshot(): StatsSnapshot {
    const now = this.now();
    const workers: WorkerFigures[] = [];
    for (const [key, { figures, at }] of this.#latest) {
      if (now - at > STALE_AFTER_MS) this.#latest.delete(key);
      else workers.push(figures);
    }
    workers.sort((a, b) => a.workerId - b.workerId || a.pid - b.pid);
    const lane = expressLaneId(this.backend, workers);
    let requests = 0;
    let rps = 0;
    let p99Ms = 0;
    for (const worker of workers) {
      requests += worker.requests;
      rps += worker.rps;
      p99Ms = Math.max(p99Ms, worker.p99Ms);
    }
    const roles: SnapshotWorker[] = workers.map((worker) => ({ ...worker, expressLane: worker.workerId === lane }));
    return { backend: this.backend, workers: roles, totals: { requests, rps: Math.round(rps * 100) / 100, p99Ms } };
  }
}

/**
 * The worker id of the pool's express lane, thread N+1 beside serving
 * threads 1..N: the highest id heard from. An app is not told whether its
 * thread is the lane (`ctx` carries the worker id only), so this rests on
 * the pool's default, `pool.expressLane` on, which the CLI cannot turn off.
 * One thread alone is a serving thread: the lane never runs without one.
 */
export function expressLaneId(backend: BackendName, workers: readonly WorkerFigures[]): number | undefined {
  if (backend !== 'pool' || workers.length < 2) return undefined;
  return Math.max(...workers.map((worker) => worker.workerId));
}
