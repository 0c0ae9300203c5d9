/**
 * What each route costs a thread, learnt from the threads' reports, and the
 * class the scheduler gives a request from it. A request's "cost" is the
 * time it kept its thread's event loop busy (see `costMs` in messages.ts),
 * so a handler awaiting a slow upstream is cheap and one doing 2 ms of
 * synchronous work is not.
 *
 * A route is cheap while expensive requests are rare among its recent ones:
 * a slow sample or two (a garbage collection, a thread the OS kept waiting
 * mid-handler: costs are wall time) do not flip it, three in a row do, and
 * a request seen holding its thread for several milliseconds flips it at
 * once (observe.ts). A route never seen is unknown, never guessed.
 */

/** A request that kept its thread under this long is cheap. */
export const CHEAP_MS = 0.5;
/** Weight of the newest sample in a route's share of expensive requests. */
const SHARE_ALPHA = 0.125;
/** A cheap route whose share of expensive requests reaches this becomes expensive... */
const HEAVY_SHARE = 0.3;
/** ...and becomes cheap again only once it falls under this, so a route near the line does not flap. */
const CHEAP_SHARE = 0.1;
/** Weight of the newest sample in a route's moving average (used to rank waits, not to classify). */
const ALPHA = 0.25;
/** Routes remembered; past it the least recently used is forgotten. */
export const MAX_ROUTES = 1024;
/**
 * Answers a thread gives for a route before their costs count: a thread's
 * first calls of a route run cold (compiling, first-use set-up) and can
 * take milliseconds for a handler that then takes microseconds. Each thread
 * compiles its own code, so this is per thread.
 */
export const COLD_CALLS = 3;

export const CHEAP = 0;
export const HEAVY = 1;
export const UNKNOWN = 2;
/** How the scheduler treats a request: known cheap, known (or seen) expensive, or never seen. */
export type CostClass = typeof CHEAP | typeof HEAVY | typeof UNKNOWN;

interface RouteCost {
  /** Moving average of its costs, in milliseconds. */
  average: number;
  /** Moving share of its requests that were expensive, 0..1. */
  share: number;
  heavy: boolean;
}

export class RouteCosts {
  /** Insertion order is recency: a lookup moves a route to the end. */
  readonly #routes = new Map<string, RouteCost>();
  /** The route classified last: already the most recent, no need to move it (a steady load asks for few routes). */
  #last = '';

  get size(): number {
    return this.#routes.size;
  }

  /** The class a request of `route` gets now. */
  classify(route: string): CostClass {
    const known = this.#routes.get(route);
    if (!known) return UNKNOWN;
    // Most recently used last, so the table forgets what the app no longer asks for.
    if (route !== this.#last) {
      this.#routes.delete(route);
      this.#routes.set(route, known);
      this.#last = route;
    }
    return known.heavy ? HEAVY : CHEAP;
  }

  /** Expected cost in milliseconds (0 for a route never seen). */
  expected(route: string): number {
    return this.#routes.get(route)?.average ?? 0;
  }

  record(route: string, costMs: number): void {
    const expensive = costMs >= CHEAP_MS ? 1 : 0;
    const known = this.#routes.get(route);
    if (!known) {
      this.#add(route, { average: costMs, share: expensive, heavy: expensive === 1 });
      return;
    }
    known.average += ALPHA * (costMs - known.average);
    known.share += SHARE_ALPHA * (expensive - known.share);
    if (known.heavy ? known.share < CHEAP_SHARE : known.share >= HEAVY_SHARE) known.heavy = !known.heavy;
  }

  /**
   * A request of `route` was seen holding its thread for `busyMs` before it
   * answered (a thread that stopped moving, or a request that timed out):
   * the route is expensive from now on, without waiting for the answer.
   * Seen, not guessed: a pause of the thread is not mistaken for this,
   * since it must last several beats (see OBSERVE_MS).
   */
  observed(route: string, busyMs: number): void {
    const known = this.#routes.get(route);
    if (!known) this.#add(route, { average: busyMs, share: 1, heavy: true });
    else {
      known.average = Math.max(known.average, busyMs);
      known.share = Math.max(known.share, HEAVY_SHARE);
      known.heavy = true;
    }
  }

  #add(route: string, cost: RouteCost): void {
    if (this.#routes.size >= MAX_ROUTES) this.#routes.delete(this.#routes.keys().next().value!);
    this.#routes.set(route, cost);
    this.#last = route;
  }
}

/** A path segment that names one item of many (a number, a hex or base64 id, a UUID), not a route of its own. */
const ID_SEGMENT = /^(?:\d+|[0-9a-f]{8,}|[0-9a-f]{8}-[0-9a-f-]{27}|(?=[^/]*\d)[\w.~-]{16,})$/i;

/**
 * The route of a request: method and path, without the query, with each
 * segment that looks like an id replaced by `:id`, so `/users/123` and
 * `/users/456` share what is learnt and an app with a million users does
 * not fill the table with one entry each.
 */
export function routeKey(method: string, url: string): string {
  const query = url.indexOf('?');
  const path = query === -1 ? url : url.slice(0, query);
  return `${method} ${/\d|[0-9a-f]{8}/i.test(path) ? normalize(path) : path}`;
}

function normalize(path: string): string {
  const segments = path.split('/');
  for (let i = 1; i < segments.length; i++) if (ID_SEGMENT.test(segments[i]!)) segments[i] = ':id';
  return segments.join('/');
}
