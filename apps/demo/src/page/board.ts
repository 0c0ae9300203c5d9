import type { BackendName } from '@switchyard/core';
import type { StatsSnapshot, WorkerFigures } from './figures.js';

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
    let requests = 0;
    let rps = 0;
    let p99Ms = 0;
    for (const worker of workers) {
      requests += worker.requests;
      rps += worker.rps;
      p99Ms = Math.max(p99Ms, worker.p99Ms);
    }
    return { backend: this.backend, workers, totals: { requests, rps: Math.round(rps * 100) / 100, p99Ms } };
  }
}
