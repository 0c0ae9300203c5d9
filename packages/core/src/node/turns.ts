import type { IncomingMessage, ServerResponse } from 'node:http';

/** ms of requests one turn of the event loop runs before the rest wait for the next turn. */
export const TURN_BUDGET_MS = 10;

/** Runs a request that waited for the check phase, `waitedMs` after it was read. */
export type RunRequest = (req: IncomingMessage, res: ServerResponse, startedAt: number, waitedMs: number) => void;

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
 * Here a request waits until a whole poll phase has passed after the one
 * that read it: libuv stops reading a socket when a read returns less than
 * it asked for, so a close sent right behind the request is read in the
 * next poll, not the same one. Requests then run, in arrival order, from
 * the check phase, until it has spent `TURN_BUDGET_MS`; the rest wait for
 * the next turn. So:
 * - the loop polls its sockets at least once every `TURN_BUDGET_MS` plus one
 *   request's synchronous time (libuv accepts one connection per poll, so
 *   that is also how fast connections are taken from the accept queue);
 * - a request whose client has gone by its turn is known to have gone, and
 *   is dropped before it runs (admission.ts).
 * `bypass` requests (health probes) run as they are read.
 *
 * Under load this also batches: a poll reads many requests and a check
 * phase answers many, which on the machines measured took less CPU per
 * request than answering each inside its read (see the core README).
 */
export class TurnQueue {
  readonly #run: RunRequest;
  readonly #bypass: (req: IncomingMessage) => boolean;
  // Parallel arrays, not an object per request: every request passes through here.
  readonly #reqs: IncomingMessage[] = [];
  readonly #ress: ServerResponse[] = [];
  readonly #startedAt: number[] = [];
  readonly #readAt: number[] = [];
  /** The check phases run so far, at the time each request was read. */
  readonly #readInTurn: number[] = [];
  #turns = 0;
  #head = 0;
  #scheduled = false;

  constructor(run: RunRequest, bypass: (req: IncomingMessage) => boolean) {
    this.#run = run;
    this.#bypass = bypass;
  }

  /** Requests waiting for their turn. */
  get size(): number {
    return this.#reqs.length - this.#head;
  }

  /** Queues the request for the check phase; false when it ran at once instead (`bypass`). */
  submit(req: IncomingMessage, res: ServerResponse, startedAt: number): boolean {
    if (this.#bypass(req)) return false;
    this.#reqs.push(req);
    this.#ress.push(res);
    this.#startedAt.push(startedAt);
    this.#readAt.push(performance.now());
    this.#readInTurn.push(this.#turns);
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(this.#turn);
    }
    return true;
  }

  /** The check phase: runs what waits, within the budget, and comes back after the next poll if some is left. */
  readonly #turn = (): void => {
    try {
      this.#runSome();
    } finally {
      this.#afterTurn();
    }
  };

  #runSome(): void {
    const reqs = this.#reqs;
    const ress = this.#ress;
    const readInTurn = this.#readInTurn;
    // Read before the previous check phase: a whole poll has read their sockets since.
    const ready = ++this.#turns - 1;
    const start = performance.now();
    let now = start;
    while (this.#head < reqs.length && readInTurn[this.#head]! < ready && now - start < TURN_BUDGET_MS) {
      const head = this.#head++;
      const req = reqs[head]!;
      const res = ress[head]!;
      // Unreferenced at once: a request held open for minutes must not be kept by the queue.
      reqs[head] = undefined as unknown as IncomingMessage;
      ress[head] = undefined as unknown as ServerResponse;
      this.#run(req, res, this.#startedAt[head]!, now - this.#readAt[head]!);
      now = performance.now();
    }
  }

  #afterTurn(): void {
    const head = this.#head;
    const lists = [this.#reqs, this.#ress, this.#startedAt, this.#readAt, this.#readInTurn] as unknown[][];
    if (head === this.#reqs.length) {
      for (const list of lists) list.length = 0;
      this.#head = 0;
      this.#scheduled = false;
      return;
    }
    if (head > 1024 && head * 2 > this.#reqs.length) {
      // Under lasting overload the queue never empties: drop the slots already run.
      for (const list of lists) list.splice(0, head);
      this.#head = 0;
    }
    setImmediate(this.#turn);
  }
}
