import type { IncomingMessage, ServerResponse } from 'node:http';

/** ms of requests one turn of the event loop runs before the rest wait for the next turn. */
export const TURN_BUDGET_MS = 10;

/** Runs a request that waited for the check phase, `waitedMs` after it was read. */
export type RunRequest = (req: IncomingMessage, res: ServerResponse, startedAt: number, waitedMs: number) => void;

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

  /** The check phase: runs what may run, within the budget, and comes back after the next poll if some is left. */
  readonly #turn = (): void => {
    try {
      this.#runSome();
    } finally {
      this.#afterTurn();
    }
  };

  #runSome(): void {
    const turn = ++this.#turns;
    const reqs = this.#reqs;
    const ress = this.#ress;
    const earliest = this.#earliest;
    const from = this.#head;
    let at = from;
    // Requests passed over for this turn (new connections' first) gather at [from, kept).
    let kept = from;
    const start = performance.now();
    let now = start;
    try {
      while (at < reqs.length && now - start < TURN_BUDGET_MS) {
        if (earliest[at]! > turn) {
          if (kept !== at) for (const list of this.#lists) list[kept] = list[at];
          kept++;
          at++;
          continue;
        }
        const req = reqs[at]!;
        const res = ress[at]!;
        // Unreferenced at once: a request held open for minutes must not be kept by the queue.
        reqs[at] = undefined as unknown as IncomingMessage;
        ress[at] = undefined as unknown as ServerResponse;
        const startedAt = this.#startedAt[at]!;
        const readAt = this.#readAt[at++]!;
        const waitedMs = this.#timed ? now - readAt : 0;
        this.#run(req, res, startedAt, waitedMs);
        now = performance.now();
      }
    } finally {
      // Those passed over go back in front of what is left, in their order.
      const passed = kept - from;
      if (passed > 0) {
        for (const list of this.#lists) list.copyWithin(at - passed, from, kept);
        reqs.fill(undefined as unknown as IncomingMessage, from, at - passed);
        ress.fill(undefined as unknown as ServerResponse, from, at - passed);
      }
      this.#head = at - passed;
    }
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
