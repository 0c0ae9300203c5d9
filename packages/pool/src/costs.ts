/**
 * What each route costs a thread, learnt from the threads' reports. A
 * request's "cost" is the time it kept its thread's event loop busy (see
 * `costMs` in messages.ts), so a handler awaiting a slow upstream is cheap
 * and one doing 2 ms of synchronous work is not. The dispatcher uses the
 * expected cost to keep CPU-bound requests from piling up behind a busy
 * thread and to let cheap requests pass queued expensive ones.
 */

/** Weight of the newest sample in the moving average. */
const ALPHA = 0.25;
/** Routes remembered; beyond it the oldest is forgotten (apps with ids in paths). */
const MAX_ROUTES = 1024;

export class RouteCosts {
  readonly #costs = new Map<string, number>();
  /** The average over every request: the guess for a route not seen yet. */
  #overall = 0;

  /** Expected cost in milliseconds. */
  expected(route: string): number {
    return this.#costs.get(route) ?? this.#overall;
  }

  record(route: string, costMs: number): void {
    this.#overall += ALPHA * (costMs - this.#overall);
    this.#set(route, costMs);
  }

  /** A request of `route` ran past the timeout: remember the route as that expensive, and only it. */
  timedOut(route: string, timeoutMs: number): void {
    this.#set(route, Math.max(timeoutMs, this.expected(route)));
  }

  #set(route: string, costMs: number): void {
    const known = this.#costs.get(route);
    if (known !== undefined) {
      this.#costs.set(route, known + ALPHA * (costMs - known));
      return;
    }
    if (this.#costs.size >= MAX_ROUTES) this.#costs.delete(this.#costs.keys().next().value!);
    this.#costs.set(route, costMs);
  }
}

/** The route of a request: method and path, without the query. */
export function routeKey(method: string, url: string): string {
  const query = url.indexOf('?');
  return method + ' ' + (query === -1 ? url : url.slice(0, query));
}
