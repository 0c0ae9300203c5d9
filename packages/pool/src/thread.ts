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
import { SessionProgress } from './progress.js';
import { CHEAP, COLD_CALLS, MAX_ROUTES, UNKNOWN } from './costs.js';

/** How often a draining thread looks whether it still holds requests. */
const DRAIN_POLL_MS = 20;

export interface ThreadEvents {
  message(thread: ThreadHandle, message: FromThread): void;
  /** The thread went away unasked: it crashed, or was terminated for being stuck. */
  exited(thread: ThreadHandle, error: Error, stuck: boolean): void;
}

/** `draining`: a reload waits for the requests it holds before its new session takes over; it takes no new ones. */
type State = 'idle' | 'starting' | 'ready' | 'draining' | 'closing';

/**
 * A thread that has held a started request without a beat for longer than
 * this is busy in synchronous code. Its timer beats every millisecond; the
 * rest is room for a thread the OS has not scheduled yet.
 */
export const LIVE_MS = 3;

export class ThreadHandle {
  readonly id: number;
  /** The express lane: takes only cheap requests, and only while the other threads are busy. */
  readonly express: boolean;
  /** How much lower than the main thread this thread runs (`pool.niceIncrement`; 0 for the express lane). */
  readonly niceIncrement: number;
  readonly stats = new ThreadStats();
  /** Requests sent to the thread and not answered yet, whether started or still in its port. */
  readonly running = new Map<number, Job>();
  /** Requests whose body the thread is streaming. */
  readonly streams = new Map<number, Job>();
  state: State = 'idle';
  readonly #events: ThreadEvents;
  #link: SessionLink | undefined;

  /** The session serving as this thread now; a reload or a crash puts another in its place. */
  get link(): SessionLink | undefined {
    return this.#link;
  }
  #stuck: Error | undefined;
  #stuckTimer: NodeJS.Timeout | undefined;
  /** The current session's progress (see SessionProgress); kept after it dies, to tell what never ran. */
  #progress = new SessionProgress();
  #sent = 0;
  /** Held requests (in `running`) that are not known to be cheap, and those never seen before. */
  #heavy = 0;
  #unknown = 0;
  /** Requests sent and not started yet, in send order (`#unstartedHead` is the next to start). */
  #unstarted: (Job | undefined)[] = [];
  #unstartedHead = 0;
  /** Their expected costs, added up. */
  #unstartedSum = 0;
  /** The last started `seq` seen, the request it belongs to, and when that request should end. */
  #seenStarted = 0;
  /** Answers this session gave per route, up to COLD_CALLS: until then the thread runs that route cold. */
  #calls = new Map<string, number>();
  #current: Job | undefined;
  #currentStartedAt = 0;

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
    this.#progress = link.progress;
    this.#sent = 0;
    this.#seenStarted = 0;
    this.#current = undefined;
    this.#heavy = 0;
    this.#unknown = 0;
    this.#clearUnstarted();
    // A new session compiles everything anew.
    this.#calls = new Map();
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

  /** Held requests that are not known to be cheap: expensive, or never seen before. */
  get heavy(): number {
    return this.#heavy;
  }

  /** Held requests of routes never seen before. */
  get unknown(): number {
    return this.#unknown;
  }

  /** Records `job` as sent to the thread now, holding it until `answered`; gives it its place in this thread's order. */
  sent(job: Job, now: number): void {
    this.#refresh(now);
    job.seq = this.#sent = (this.#sent + 1) | 0;
    job.sentAt = now;
    this.running.set(job.id, job);
    this.#count(job, 1);
    this.#unstarted.push(job);
    this.#unstartedSum += job.expected;
  }

  /** The thread is done with `job` (it answered, failed, dropped it, or starts streaming it). */
  answered(job: Job, now: number): void {
    this.#refresh(now);
    if (!this.running.delete(job.id)) return;
    this.#count(job, -1);
    if (job === this.#current) this.#current = undefined;
  }

  /** Whether this thread has run `route` often enough that its costs are a warm thread's (COLD_CALLS). */
  isWarm(route: string): boolean {
    return (this.#calls.get(route) ?? 0) >= COLD_CALLS;
  }

  /** Counts an answer for `route`; true when the thread was warm for it, so its cost says something about the route. */
  warmed(route: string): boolean {
    const calls = this.#calls.get(route) ?? 0;
    if (calls >= COLD_CALLS) return true;
    if (this.#calls.size >= MAX_ROUTES) this.#calls.clear();
    this.#calls.set(route, calls + 1);
    return false;
  }

  /** Forgets every held request (the thread is gone). */
  clear(): void {
    this.running.clear();
    this.streams.clear();
    this.#heavy = 0;
    this.#unknown = 0;
    this.#current = undefined;
    this.#clearUnstarted();
  }

  /** Requests sent to the thread that it has not started yet. */
  unstarted(now: number): number {
    this.#refresh(now);
    return this.#unstarted.length - this.#unstartedHead;
  }

  /**
   * How long one piece of synchronous work has held the thread's loop, as
   * far as the main thread can see: the time since the thread last beat
   * (or, if it holds only requests it has not started, since the oldest
   * was sent), when that is more than LIVE_MS; otherwise 0. A thread
   * producing a stream counts too: its chunks are work.
   */
  busyFor(now: number): number {
    const waiting = this.unstarted(now);
    if (this.running.size === 0 && this.streams.size === 0) return 0;
    let since = this.#progress.beat;
    if (waiting > 0 && this.running.size === waiting && this.streams.size === 0) since = Math.max(since, this.#unstarted[this.#unstartedHead]!.sentAt);
    const age = now - since;
    return age > LIVE_MS ? age : 0;
  }

  /** The request the thread runs, when it has started exactly one it has not answered and streams nothing (so what holds its loop is that one). */
  sole(now: number): Job | undefined {
    return this.streams.size === 0 && this.running.size - this.unstarted(now) === 1 ? this.#current : undefined;
  }

  /**
   * True when the thread has been busy for longer than twice what the
   * request it started last is expected to take, plus `marginMs`: late
   * enough to be stuck, or far costlier than learnt, not merely slowed down
   * by a busy machine.
   */
  overdue(now: number, marginMs: number): boolean {
    const busy = this.busyFor(now);
    if (busy === 0) return false;
    const expected = this.#current ? 2 * this.#current.expected : 0;
    return busy > expected + marginMs;
  }

  /**
   * Expected milliseconds a request sent now would wait before the thread
   * starts it: what waits in its port, plus what is left of the request it
   * runs. A thread seen busy past that is taken to stay busy as long again.
   */
  wait(now: number): number {
    const busy = this.busyFor(now);
    const left = this.#current ? Math.max(this.#currentStartedAt + this.#current.expected - now, busy) : busy;
    return this.#unstartedSum + Math.max(left, 0);
  }

  /** True if the thread never started the request sent as `seq`; valid after it died, too. */
  neverStarted(seq: number): boolean {
    // Wrap-safe: seq counts on in 32 bits.
    return ((seq - this.#progress.started) | 0) > 0;
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

  /**
   * Reload: stops taking requests, waits up to `graceMs` for those it holds,
   * hands any still held to `abandon`, ends the session (teardown runs),
   * and makes `link`, a standby that imported the app anew, this thread.
   * If the session died meanwhile, its replacement already has the new
   * app: then `link` is ended and this resolves false.
   */
  async swap(link: SessionLink, graceMs: number, abandon: (thread: ThreadHandle) => void): Promise<boolean> {
    const old = this.#link;
    if (!old || this.state !== 'ready') {
      link.terminate();
      return false;
    }
    this.state = 'draining';
    for (const deadline = performance.now() + graceMs; this.running.size + this.streams.size > 0 && performance.now() < deadline; ) {
      await new Promise((resolve) => setTimeout(resolve, DRAIN_POLL_MS));
      if (this.#link !== old) {
        link.terminate();
        return false;
      }
    }
    if (this.running.size + this.streams.size > 0) abandon(this);
    await this.close(graceMs);
    await this.start(link, true);
    return true;
  }

  /** Asks the session to end (teardown runs); terminates it after `graceMs`. */
  async close(graceMs: number): Promise<void> {
    const link = this.#link;
    const state = this.state;
    this.state = 'closing';
    clearTimeout(this.#stuckTimer);
    if (!link) return;
    if (state !== 'ready' && state !== 'draining') {
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
    if (state !== 'ready' && state !== 'draining') return;
    const stuck = this.#stuck;
    this.#events.exited(this, stuck ?? threadExited(this.id, error ?? 'its session ended unasked'), stuck !== undefined);
  }

  #count(job: Job, by: 1 | -1): void {
    if (job.cls === CHEAP) return;
    this.#heavy += by;
    if (job.cls === UNKNOWN) this.#unknown += by;
  }

  /** Reads how far the thread has got and moves what it has started out of the unstarted list. */
  #refresh(now: number): void {
    const started = this.#progress.started;
    if (started === this.#seenStarted) return;
    this.#seenStarted = started;
    const list = this.#unstarted;
    let head = this.#unstartedHead;
    let last: Job | undefined;
    while (head < list.length && ((list[head]!.seq - started) | 0) <= 0) {
      last = list[head]!;
      list[head] = undefined;
      this.#unstartedSum -= last.expected;
      head++;
    }
    if (last && this.running.has(last.id)) {
      this.#current = last;
      // The thread beats as it starts a request: that beat is when this one began.
      this.#currentStartedAt = Math.min(now, this.#progress.beat);
    }
    if (head === list.length) this.#clearUnstarted();
    else if (head > 1024 && head * 2 > list.length) {
      this.#unstarted = list.slice(head);
      this.#unstartedHead = 0;
    } else this.#unstartedHead = head;
  }

  #clearUnstarted(): void {
    this.#unstarted = [];
    this.#unstartedHead = 0;
    this.#unstartedSum = 0;
  }
}
