/**
 * The main thread's handle on pool thread `id` (1..N, then N+1 for the
 * express lane): the requests it
 * holds, how far it has got with them, and the session currently serving
 * as that thread. When a session dies or is terminated for being stuck, the
 * handle stays and a new session (a standby, when one is ready) takes over.
 */
import { performance } from 'node:perf_hooks';
import type { Worker } from 'node:worker_threads';
import { threadExited } from './errors.js';
import type { Job } from './job.js';
import type { SessionLink } from './link.js';
import { CLOSE, type FromThread, type ToThread } from './messages.js';
import { ThreadStats } from './stats.js';

export interface ThreadEvents {
  message(thread: ThreadHandle, message: FromThread): void;
  /** The thread went away unasked: it crashed, or was terminated for being stuck. */
  exited(thread: ThreadHandle, error: Error, stuck: boolean): void;
}

type State = 'idle' | 'starting' | 'ready' | 'closing';

export class ThreadHandle {
  readonly id: number;
  /** The express lane: takes only cheap requests, and only while the other threads are busy. */
  readonly express: boolean;
  /** How much lower than the main thread this thread runs (`pool.niceIncrement`; 0 for the express lane). */
  readonly niceIncrement: number;
  readonly stats = new ThreadStats();
  /** Requests the thread has and has not answered yet. */
  readonly running = new Map<number, Job>();
  /** Requests whose body the thread is streaming. */
  readonly streams = new Map<number, Job>();
  state: State = 'idle';
  readonly #events: ThreadEvents;
  #link: SessionLink | undefined;
  #stuck: Error | undefined;
  #stuckTimer: NodeJS.Timeout | undefined;
  /** The current session's started counter; kept after it dies, to tell what never ran. */
  #started = new Int32Array(new SharedArrayBuffer(4));
  #sent = 0;
  /**
   * The last `started` value seen, and the last sign of progress: a start
   * or an answer seen, or requests sent to a thread that held none.
   */
  #seenStarted = 0;
  #progressAt = 0;
  /** Requests sent and not started yet, in send order: their seqs and expected costs. */
  #queuedSeq: number[] = [];
  #queuedCost: number[] = [];
  #queuedHead = 0;
  #queuedSum = 0;
  /** The last request the thread started: its seq, whether it is still unanswered, and when it should end. */
  #currentSeq = 0;
  #currentOpen = false;
  #currentEndsAt = 0;

  constructor(id: number, events: ThreadEvents, role: { express: boolean; niceIncrement: number }) {
    this.id = id;
    this.express = role.express;
    this.niceIncrement = role.express ? 0 : role.niceIncrement;
    this.#events = events;
  }

  get ready(): boolean {
    return this.state === 'ready';
  }

  get worker(): Worker | undefined {
    return this.#link?.worker;
  }

  /**
   * Makes `link` this thread: a session started for this id, or a standby
   * (`activate`) that runs `setup` now. Resolves once the thread takes traffic.
   */
  async start(link: SessionLink, activate: boolean): Promise<void> {
    this.#link = link;
    this.#stuck = undefined;
    this.#started = link.started;
    this.#sent = 0;
    this.#seenStarted = 0;
    this.#currentOpen = false;
    this.#clearQueued();
    this.state = 'starting';
    link.onMessage = (message) => this.#events.message(this, message);
    void link.ended.then(({ error }) => this.#ended(link, error));
    try {
      await (activate ? link.activate(this.id, this.niceIncrement) : link.up);
    } catch (error) {
      if (this.#link === link) {
        this.#link = undefined;
        if (this.state === 'starting') this.state = 'idle';
      }
      throw error;
    }
    if (this.#link === link && this.state === 'starting') this.state = 'ready';
  }

  /** Queues `message` for the thread; the turn's messages go together. */
  post(message: ToThread, transfer?: ArrayBuffer): void {
    this.#link?.post(message, transfer);
  }

  /** Records a request sent with `expected` cost; returns its place in this thread's order. */
  sent(expected: number, now: number): number {
    this.#refresh(now);
    // Nothing was waiting to start: from now on, it owes progress.
    if (this.#queuedHead === this.#queuedSeq.length) this.#progressAt = now;
    const seq = (this.#sent = (this.#sent + 1) | 0);
    this.#queuedSeq.push(seq);
    this.#queuedCost.push(expected);
    this.#queuedSum += expected;
    return seq;
  }

  /**
   * Expected milliseconds a request sent now would wait before the thread
   * starts it: the work queued in its port, plus what is left of the request
   * it runs (its expected cost less the time since it started).
   */
  wait(now: number): number {
    this.#refresh(now);
    const queued = this.#queuedHead === this.#queuedSeq.length ? 0 : this.#queuedSum;
    const left = this.#currentOpen ? this.#currentEndsAt - now : 0;
    return left > 0 ? queued + left : queued;
  }

  /**
   * Expected milliseconds of work the thread will still hold when it next
   * answers: what waits behind the request it runs, or, if it has just
   * answered that one, behind the request it starts next.
   */
  heldAtNextAnswer(now: number): number {
    this.#refresh(now);
    const head = this.#queuedHead;
    if (head === this.#queuedSeq.length) return 0;
    return this.#currentOpen ? this.#queuedSum : this.#queuedSum - this.#queuedCost[head]!;
  }

  /**
   * The thread answered the request sent as `seq`. Answering the request it
   * runs is progress: what waits in its port starts next, so it does not
   * count as blocked from before (it was sent while that request ran).
   */
  answered(seq: number, now: number): void {
    if (seq !== this.#currentSeq) return;
    this.#currentOpen = false;
    this.#progressAt = now;
  }

  /**
   * True when requests sent to the thread have waited more than `ms` past
   * when it should have started one (its last sign of progress, or the
   * expected end of the request it runs): its event loop is held by
   * synchronous work (perhaps forever), so more requests should go elsewhere.
   */
  blocked(now: number, ms: number): boolean {
    this.#refresh(now);
    if (this.#queuedHead === this.#queuedSeq.length) return false;
    const due = this.#currentOpen ? Math.max(this.#progressAt, this.#currentEndsAt) : this.#progressAt;
    return now - due > ms;
  }

  /** True if the thread never started the request sent as `seq`; valid after it died, too. */
  neverStarted(seq: number): boolean {
    // Wrap-safe: seq counts on in 32 bits.
    return ((seq - Atomics.load(this.#started, 0)) | 0) > 0;
  }

  /** Reads the thread's event-loop idle time; the dispatcher calls it on a timer. */
  sample(now: number): void {
    this.#link?.sample(now);
  }

  /**
   * A request on this thread timed out. If the thread's event loop has been
   * busy without a break for `graceMs`, it is stuck in synchronous code:
   * terminate it. If not yet, look again when it would have been; a loop
   * that has been idle in between is not stuck.
   */
  checkStuck(graceMs: number, why: (busyMs: number) => Error): void {
    const link = this.#link;
    if (!link || this.state !== 'ready' || this.#stuckTimer) return;
    let blockedSince = -1;
    const check = () => {
      this.#stuckTimer = undefined;
      if (this.#link !== link || this.state !== 'ready') return;
      const now = performance.now();
      const since = link.idleSince(now);
      const busy = now - since;
      if (blockedSince >= 0 && since !== blockedSince) return;
      if (busy >= graceMs) {
        this.#stuck = why(busy);
        link.terminate();
        return;
      }
      blockedSince = since;
      this.#stuckTimer = setTimeout(check, Math.ceil(graceMs - busy) + 1);
      this.#stuckTimer.unref();
    };
    check();
  }

  /** Asks the session to end (teardown runs); terminates it after `graceMs`. */
  async close(graceMs: number): Promise<void> {
    const link = this.#link;
    const state = this.state;
    this.state = 'closing';
    clearTimeout(this.#stuckTimer);
    if (!link) return;
    if (state !== 'ready') {
      await link.settleThenTerminate(graceMs);
      return;
    }
    link.post({ t: CLOSE });
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
    await Promise.race([link.ended, late]);
    clearTimeout(timer);
    link.terminate();
  }

  #ended(link: SessionLink, error: unknown): void {
    if (this.#link !== link) return;
    const state = this.state;
    this.#link = undefined;
    clearTimeout(this.#stuckTimer);
    this.#stuckTimer = undefined;
    if (state === 'closing') return;
    this.state = 'idle';
    // A thread that never got ready is reported by start() instead.
    if (state !== 'ready') return;
    const stuck = this.#stuck;
    this.#events.exited(this, stuck ?? threadExited(this.id, error ?? 'its session ended unasked'), stuck !== undefined);
  }

  /** Reads how far the thread has got and drops what it has started from the queued work. */
  #refresh(now: number): void {
    const started = Atomics.load(this.#started, 0);
    if (started === this.#seenStarted) return;
    this.#seenStarted = started;
    this.#progressAt = now;
    this.#currentOpen = true;
    const seqs = this.#queuedSeq;
    let head = this.#queuedHead;
    while (head < seqs.length && ((seqs[head]! - started) | 0) <= 0) {
      const cost = this.#queuedCost[head]!;
      this.#currentSeq = seqs[head]!;
      this.#currentEndsAt = now + cost;
      this.#queuedSum -= cost;
      head++;
    }
    if (head === seqs.length) this.#clearQueued();
    else if (head > 1024 && head * 2 > seqs.length) {
      this.#queuedSeq = seqs.slice(head);
      this.#queuedCost = this.#queuedCost.slice(head);
      this.#queuedHead = 0;
    } else this.#queuedHead = head;
  }

  #clearQueued(): void {
    this.#queuedSeq = [];
    this.#queuedCost = [];
    this.#queuedHead = 0;
    this.#queuedSum = 0;
  }
}
