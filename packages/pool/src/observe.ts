/**
 * Learning a route's cost before its request answers. A route known to be
 * cheap can turn expensive (a query that asks for more work, a cache that
 * went cold); its first such request runs as cheap, and until it answers,
 * more of the route's requests would too. The main thread sees it anyway:
 * the thread stops beating while the request holds it.
 */
import { CHEAP, type RouteCosts } from './costs.js';
import type { ThreadHandle } from './thread.js';

/**
 * A cheap-looking request seen holding its thread this long counts as
 * expensive at once: several missed beats, past what a scheduler delay or a
 * garbage collection takes.
 */
export const OBSERVE_MS = 5;

/** Marks the route of each cheap-looking request that has held its thread for OBSERVE_MS as expensive. */
export function observeBusy(threads: readonly ThreadHandle[], costs: RouteCosts, now: number): void {
  for (const thread of threads) {
    const busy = thread.busyFor(now);
    if (busy < OBSERVE_MS) continue;
    // Only when one started request is unanswered is it surely the one holding the loop.
    const job = thread.sole(now);
    // A thread's first calls of a route run cold, and may be slow for that alone.
    if (!job || job.observed || job.cls !== CHEAP || !thread.isWarm(job.route)) continue;
    job.observed = true;
    costs.observed(job.route, busy);
  }
}
