/**
 * Which thread takes a request: the scheduling rule on its own, apart from
 * the dispatcher's plumbing, so that tests can drive it with time and
 * thread progress passed in. It keeps three rules (the README explains why
 * they bound a cheap request's wait):
 *
 * 1. A cheap request goes to a thread that holds nothing but cheap requests
 *    and is not seen busy. Failing that, to one that holds no request of a
 *    route never seen and at most one expensive request (a thread seen busy
 *    counts as holding one), and is not overdue. Failing that, it waits on
 *    the main thread.
 * 2. The express lane takes only cheap requests.
 * 3. An expensive request, or one of a route never seen, goes only to a
 *    serving thread with nothing waiting in its port, that is not overdue
 *    on what it runs (OVERDUE_MS). So a thread holds at most one such
 *    request it has not started, and one it runs: its next is at hand when
 *    it frees. Requests never seen may also join each other in the port of
 *    a thread that is moving and holds nothing known to be expensive, as
 *    many as it has started and holds while moving (so they wait on I/O).
 */
import { CHEAP, CHEAP_MS, UNKNOWN, type CostClass } from './costs.js';
import type { ThreadHandle } from './thread.js';

/**
 * A thread busy for this long past twice the expected cost of what it runs
 * (or, for a request of unknown cost, this long at all) gets no more
 * requests: it may be stuck, and what it holds would wait behind it.
 */
export const OVERDUE_MS = 5;

export interface Threads {
  /** Threads 1..N, which take any request. */
  readonly serving: readonly ThreadHandle[];
  /** Thread N+1, which takes only cheap requests (`pool.expressLane`). */
  readonly express: ThreadHandle | undefined;
  /** `concurrentTasksPerWorker`: requests one thread may hold at once. */
  readonly capacity: number;
}

export interface Placeable {
  readonly cls: CostClass;
}

/** The thread that should take `job` now, or undefined when it should wait on the main thread. `turn` rotates ties. */
export function place(job: Placeable, threads: Threads, now: number, turn: number): ThreadHandle | undefined {
  return job.cls === CHEAP ? placeCheap(threads, now, turn) : placeHeavy(threads, now, turn, job.cls === UNKNOWN);
}

/**
 * Whether the thread may take another request: it holds fewer than
 * `capacity` that occupy it. While its loop moves (its beat is fresh),
 * every request it has started is waiting on I/O and holds no CPU, so only
 * those still in its port count: an asynchronous app is bounded by memory,
 * as on the reactor, not by the cap. While its loop is held, all count.
 */
function open(thread: ThreadHandle, capacity: number, now: number): boolean {
  if (!thread.ready) return false;
  const held = thread.busyFor(now) > 0 ? thread.running.size : thread.unstarted(now);
  return held < capacity;
}

/** Whether `a` is the less loaded thread, waits being equal: requests held and streaming, then requests held. */
function lessLoaded(a: ThreadHandle, b: ThreadHandle): boolean {
  const totalA = a.running.size + a.streams.size;
  const totalB = b.running.size + b.streams.size;
  if (totalA !== totalB) return totalA < totalB;
  return a.running.size < b.running.size;
}

/** A thread holding only cheap requests and moving: a cheap request waits there behind cheap ones only. */
function clean(thread: ThreadHandle, now: number): boolean {
  return thread.heavy === 0 && thread.busyFor(now) === 0;
}

/** A thread where a cheap request would wait behind at most one expensive request, and none of unknown cost. */
function behindAtMostOne(thread: ThreadHandle, now: number): boolean {
  if (thread.unknown > 0 || thread.overdue(now, OVERDUE_MS)) return false;
  return thread.heavy + (thread.heavy === 0 && thread.busyFor(now) > 0 ? 1 : 0) <= 1;
}

function placeCheap({ serving, express, capacity }: Threads, now: number, turn: number): ThreadHandle | undefined {
  let best: ThreadHandle | undefined;
  let bestWait = Infinity;
  const count = serving.length;
  const consider = (thread: ThreadHandle) => {
    const wait = thread.running.size === 0 ? 0 : thread.wait(now);
    if (!best || wait < bestWait || (wait === bestWait && lessLoaded(thread, best))) {
      best = thread;
      bestWait = wait;
    }
  };
  for (let i = 0; i < count; i++) {
    const thread = serving[(turn + i) % count]!;
    if (open(thread, capacity, now) && clean(thread, now)) consider(thread);
  }
  // The express lane only when every serving thread would make the request wait.
  if (express && bestWait >= CHEAP_MS && open(express, capacity, now) && clean(express, now)) consider(express);
  if (best) return best;
  for (let i = 0; i < count; i++) {
    const thread = serving[(turn + i) % count]!;
    if (open(thread, capacity, now) && behindAtMostOne(thread, now)) consider(thread);
  }
  if (express && open(express, capacity, now) && behindAtMostOne(express, now)) consider(express);
  return best;
}

/**
 * Whether a request of a route never seen may join others waiting in this
 * thread's port: the thread is moving, holds no request known to be
 * expensive, and has fewer waiting in its port than it has started and
 * still holds. What it waits behind is then only other requests never seen.
 * A thread whose started requests wait on I/O shows room for as many again,
 * so a long poll opened by a thousand clients at once reaches it in a few
 * looks, doubling each time. A thread that holds its loop with one request
 * has started one: a flood of CPU-bound requests never seen waits at most one
 * deep in its port, and the rest wait on the main thread, where a route
 * learnt meanwhile changes lane and a departed client's request is dropped.
 */
function mayStackUnknown(thread: ThreadHandle, now: number): boolean {
  if (thread.heavy !== thread.unknown || thread.busyFor(now) > 0) return false;
  const waiting = thread.unstarted(now);
  return waiting < thread.running.size - waiting;
}

function placeHeavy({ serving, capacity }: Threads, now: number, turn: number, unknown: boolean): ThreadHandle | undefined {
  let best: ThreadHandle | undefined;
  let bestWait = Infinity;
  const count = serving.length;
  for (let i = 0; i < count; i++) {
    const thread = serving[(turn + i) % count]!;
    if (!open(thread, capacity, now)) continue;
    if (thread.running.size === 0) return thread;
    if (thread.overdue(now, OVERDUE_MS)) continue;
    if (thread.unstarted(now) > 0 && !(unknown && mayStackUnknown(thread, now))) continue;
    if (best && thread.heavy > best.heavy) continue;
    const wait = thread.wait(now);
    if (!best || thread.heavy < best.heavy || wait < bestWait) {
      best = thread;
      bestWait = wait;
    }
  }
  return best;
}
