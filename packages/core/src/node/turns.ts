import type { IncomingMessage, ServerResponse } from 'node:http';

/** ms of requests one turn of the event loop runs before the rest wait for the next turn. */
export const TURN_BUDGET_MS = 10;

/**
 * Runs a request that waited for the check phase, `waitedMs` after it was
 * read; true when its handler goes on in microtasks (it returned a promise).
 */
export type RunRequest = (req: IncomingMessage, res: ServerResponse, startedAt: number, waitedMs: number) => boolean;

export interface TurnQueueOptions {
  /** Health probes: run as they are read. */
  bypass: (req: IncomingMessage) => boolean;
  /** Whether `run` is told how long each request waited; when false it gets 0 and no clock is read per request on arrival. */
  timed: boolean;
}

/**
 * Runs requests once the loop has read their sockets to the end of what
 * they hold, a bounded share per turn.
 *
 * Node runs a request's handler inside the read that parsed it, so:
 * - a read that brings a hundred requests of 20 ms of work each holds the
 *   loop for two seconds, in which no connection is accepted and no health
 *   probe is read;
 * - a client that sent its request and closed (one that gave up while its
 *   connection waited in the accept queue) is served anyway: its close is
 *   read after the handler has run.
 *
 * Here a request runs from the check phase after the poll that read it,
 * in arrival order, until the check phase has spent `TURN_BUDGET_MS`; the
 * rest wait for the next turn. A new connection's first requests wait one
 * poll more: libuv stops reading a socket when a read returns less than it
 * asked for, so a close sent right behind them is read by the next poll,
 * not the one that read them. So:
 * - the loop polls its sockets at least once every `TURN_BUDGET_MS` plus one
 *   request's synchronous time (libuv accepts one connection per poll, so
 *   that is also how fast connections are taken from the accept queue);
 * - a request whose client has gone by its turn is known to have gone, and
 *   is dropped before it runs (admission.ts), including one sent and
 *   abandoned while its connection waited to be accepted.
 * `bypass` requests (health probes) run as they are read.
 *
 * Under load this also batches: a poll reads many requests and a check
 * phase answers many, which on the machines measured took less CPU per
 * request than answering each inside its read (see the core README).
 */
export class TurnQueue {
  readonly #run: RunRequest;
  readonly #bypass: (req: IncomingMessage) => boolean;
  readonly #timed: boolean;
  // Parallel arrays, not an object per request: every request passes through here.
  readonly #reqs: IncomingMessage[] = [];
  readonly #ress: ServerResponse[] = [];
  readonly #startedAt: number[] = [];
  readonly #readAt: number[] = [];
  /** The first check phase (counted by `#turns`) each request may run in. */
  readonly #earliest: number[] = [];
  readonly #lists = [this.#reqs, this.#ress, this.#startedAt, this.#readAt, this.#earliest] as unknown[][];
  /** Check phases run so far. */
  #turns = 0;
  /** The check phase before which each connection's first requests were read: they wait one more (see above). */
  readonly #firstRead = new WeakMap<object, number>();
  #head = 0;
  #scheduled = false;
  // The turn under way: where it started, the next entry to look at, and the passed-over ones at [from, kept).
  #turnStart = 0;
  #from = 0;
  #at = 0;
  #kept = 0;

  constructor(run: RunRequest, options: TurnQueueOptions) {
    this.#run = run;
    this.#bypass = options.bypass;
    this.#timed = options.timed;
  }

  /** Queues the request for the check phase; false when it runs at once instead (`bypass`). */
  submit(req: IncomingMessage, res: ServerResponse, startedAt: number): boolean {
    if (this.#bypass(req)) return false;
    const next = this.#turns + 1;
    const socket = req.socket;
    let first = this.#firstRead.get(socket);
    if (first === undefined) this.#firstRead.set(socket, (first = next));
    this.#reqs.push(req);
    this.#ress.push(res);
    this.#startedAt.push(startedAt);
    this.#readAt.push(this.#timed ? performance.now() : 0);
    // A new connection's requests wait for a second poll, which reads a close sent behind them.
    this.#earliest.push(first === next ? next + 1 : next);
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(this.#turn);
    }
    return true;
  }

  /** The check phase: starts a turn, which runs what may run within the budget and comes back after the next poll if some is left. */
  readonly #turn = (): void => {
    this.#turns++;
    this.#from = this.#kept = this.#at = this.#head;
    this.#turnStart = performance.now();
    this.#step();
  };

  /**
   * Runs this turn's requests from where it stands, while the budget
   * allows. After a request whose handler went on in microtasks (`run`
   * returned true), the next runs once those microtasks have all run (a
   * microtask queues the next step as a tick, and Node runs ticks only once
   * the microtask queue is empty): an asynchronous handler that needs no
   * I/O answers before the next request starts, as it would inside the read
   * that parsed it, so its response goes out while the rest of the batch
   * runs, not after it (measured: an `async fetch` hello ran at 48k req/s
   * without this, 61k with it; core README, Overload).
   */
  readonly #step = (): void => {
    const reqs = this.#reqs;
    const earliest = this.#earliest;
    const turn = this.#turns;
    for (;;) {
      let at = this.#at;
      // Requests passed over for this turn (new connections' first) gather at [from, kept).
      while (at < reqs.length && earliest[at]! > turn) {
        const kept = this.#kept++;
        if (kept !== at) for (const list of this.#lists) list[kept] = list[at];
        at++;
      }
      const now = performance.now();
      if (at === reqs.length || now - this.#turnStart >= TURN_BUDGET_MS) {
        this.#at = at;
        return this.#endTurn();
      }
      const req = reqs[at]!;
      const res = this.#ress[at]!;
      // Unreferenced at once: a request held open for minutes must not be kept by the queue.
      reqs[at] = undefined as unknown as IncomingMessage;
      this.#ress[at] = undefined as unknown as ServerResponse;
      const startedAt = this.#startedAt[at]!;
      const readAt = this.#readAt[at]!;
      this.#at = at + 1;
      let pending = true;
      try {
        pending = this.#run(req, res, startedAt, this.#timed ? now - readAt : 0);
      } finally {
        // Also when `run` threw: the turn goes on after the error is reported.
        if (pending) queueMicrotask(this.#nextStep);
      }
      if (pending) return;
    }
  };

  readonly #nextStep = (): void => {
    process.nextTick(this.#step);
  };

  #endTurn(): void {
    // Those passed over go back in front of what is left, in their order.
    const from = this.#from;
    const kept = this.#kept;
    const at = this.#at;
    const passed = kept - from;
    if (passed > 0) {
      for (const list of this.#lists) list.copyWithin(at - passed, from, kept);
      this.#reqs.fill(undefined as unknown as IncomingMessage, from, at - passed);
      this.#ress.fill(undefined as unknown as ServerResponse, from, at - passed);
    }
    this.#head = at - passed;
    this.#afterTurn();
  }

  #afterTurn(): void {
    const head = this.#head;
    if (head === this.#reqs.length) {
      for (const list of this.#lists) list.length = 0;
      this.#head = 0;
      this.#scheduled = false;
      return;
    }
    if (head > 1024 && head * 2 > this.#reqs.length) {
      // Under lasting overload the queue never empties: drop the slots already run.
      for (const list of this.#lists) list.splice(0, head);
      this.#head = 0;
    }
    setImmediate(this.#turn);
  }
}
