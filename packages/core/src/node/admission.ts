import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ResolvedLimits } from '../options.js';
import type { RequestCounters } from '../stats.js';
import { sendError } from './errors.js';

/** Seconds a shed request's client is told to wait (`Retry-After`). */
export const SHED_RETRY_AFTER_S = 1;

/** How often the lag clock notes that the event loop turned. */
const TICK_MS = 10;

/**
 * How long the event loop has been busy: a timer notes the time every
 * TICK_MS and how late it fired. Inside a batch of handlers (one turn of
 * the loop doing synchronous work) the note ages, so a request that finds
 * it older than the limit arrived while the turn ran that long. Requests
 * that arrived during a stall are read in the turn after it, when the
 * timer has just fired, late: its lateness covers them until the next
 * tick. Unlike a delay histogram, both are known at once, which is where
 * shedding must happen: by the time a histogram says the loop was slow,
 * the requests that waited have run.
 */
class LoopLag {
  #last = performance.now();
  #late = 0;
  readonly #timer: NodeJS.Timeout;

  constructor() {
    this.#timer = setInterval(() => {
      const now = performance.now();
      this.#late = Math.max(0, now - this.#last - TICK_MS);
      this.#last = now;
    }, TICK_MS);
    this.#timer.unref();
  }

  lagMs(): number {
    return Math.max(performance.now() - this.#last, this.#late);
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}

export interface AdmissionOptions {
  limits: ResolvedLimits;
  counters: RequestCounters;
  /** Paths never shed: health and readiness probes must answer even when nothing else does. */
  healthPaths: readonly string[];
}

function pathOf(url: string | undefined): string {
  if (url === undefined) return '/';
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

/** True once the request's client has closed its connection, or half-closed it, which Node treats as gone. */
export function clientLeft(req: IncomingMessage): boolean {
  const socket = req.socket;
  return socket.destroyed || socket.readableEnded;
}

/** A test of whether a request target (`req.url`) is one of `paths`, ignoring its query. */
export function healthProbe(paths: readonly string[]): (url: string | undefined) => boolean {
  const set = new Set(paths);
  return (url) => set.size > 0 && set.has(pathOf(url));
}

/**
 * Decides, before any handler runs, whether a request is served:
 * - a request whose client has already gone (its connection closed, or
 *   half-closed, which Node treats as gone) is dropped unanswered;
 * - past `limits.maxInFlight` requests in flight, or with the event loop
 *   busy for more than `limits.maxEventLoopDelay` ms, a new request gets
 *   503 with `Retry-After`, counted as rejected: a cheap answer now instead
 *   of an expensive one after the client gave up;
 * - requests to `healthPaths` are never shed.
 * Both limits are off (0) by default.
 */
export class Admission {
  readonly #counters: RequestCounters;
  readonly #maxInFlight: number;
  readonly #maxDelay: number;
  readonly #isHealth: (url: string | undefined) => boolean;
  readonly #lag: LoopLag | undefined;

  constructor(options: AdmissionOptions) {
    this.#counters = options.counters;
    this.#maxInFlight = options.limits.maxInFlight;
    this.#maxDelay = options.limits.maxEventLoopDelay;
    this.#isHealth = healthProbe(options.healthPaths);
    this.#lag = this.#maxDelay > 0 ? new LoopLag() : undefined;
  }

  /** Whether a request that waited too long for its turn is shed (`limits.maxEventLoopDelay` set): `admitWaited` needs its wait only then. */
  get shedsLate(): boolean {
    return this.#maxDelay > 0;
  }

  /** True when the request may go to the app; otherwise it has been answered (503) or dropped. */
  admit(req: IncomingMessage, res: ServerResponse): boolean {
    if (clientLeft(req)) {
      res.destroy();
      return false;
    }
    if (!this.#overloaded() || this.#isHealth(req.url)) return true;
    this.#shed(res);
    return false;
  }

  /**
   * The same decision for a request that waited for a later turn of the loop
   * (turns.ts): dropped if its client has gone meanwhile, shed if it waited
   * longer than `limits.maxEventLoopDelay`.
   */
  admitWaited(req: IncomingMessage, res: ServerResponse, waitedMs: number): boolean {
    if (clientLeft(req)) {
      res.destroy();
      return false;
    }
    if (this.#maxDelay === 0 || waitedMs <= this.#maxDelay) return true;
    this.#shed(res);
    return false;
  }

  #shed(res: ServerResponse): void {
    this.#counters.requests++;
    this.#counters.rejected++;
    // The connection ends with the answer. Kept alive, a refused client asks
    // again at once, and thousands of them keep the loop in one long phase of
    // reading sockets: a connection accepted meanwhile (a health probe's) is
    // not read until it ends, since the loop registers new sockets between
    // phases (measured: every probe failed). Closed, the client reconnects
    // through the accept queue, which the loop drains each turn.
    sendError(res, 503, { retryAfter: SHED_RETRY_AFTER_S, close: true });
  }

  #overloaded(): boolean {
    if (this.#maxInFlight > 0 && this.#counters.inFlight >= this.#maxInFlight) return true;
    return this.#lag !== undefined && this.#lag.lagMs() > this.#maxDelay;
  }

  /** True for requests to `healthPaths`. */
  isHealth(req: IncomingMessage): boolean {
    return this.#isHealth(req.url);
  }

  stop(): void {
    this.#lag?.stop();
  }
}
