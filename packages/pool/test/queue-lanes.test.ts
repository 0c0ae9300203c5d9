/**
 * The main thread's queue on its own (src/queue.ts): the order of its lanes,
 * the expensive lane's one turn in nine, and entries whose route was learnt
 * while they waited leaving the unsure lane as they reach its head.
 */
import { describe, expect, it } from 'vitest';
import { FAST_LANE, type Lane, RequestQueue, SLOW_LANE, UNSURE_LANE } from '../src/queue.js';

interface Entry {
  name: string;
  lane: Lane;
  waiting: boolean;
  /** The lane it belongs in once its route is learnt; undefined while unknown. */
  learntLane?: Lane;
}

const entry = (name: string, lane: Lane, learntLane?: Lane): Entry => ({ name, lane, waiting: true, ...(learntLane !== undefined && { learntLane }) });

/** The dispatcher's relane: an entry whose route was learnt goes to that route's lane. */
function relane(item: Entry): Lane {
  if (item.learntLane !== undefined) item.lane = item.learntLane;
  return item.lane;
}

/** Takes the first candidate each time, as the dispatcher does when every thread is free, until the queue is empty. */
function drainOrder(queue: RequestQueue<Entry>): string[] {
  const order: string[] = [];
  while (queue.size > 0) {
    const next = queue.candidates()[0]!;
    queue.take(next);
    next.waiting = false;
    order.push(next.name);
  }
  return order;
}

describe('the request queue', () => {
  it('serves cheap entries first, then unsure ones, then expensive ones, which get one turn in nine', () => {
    const queue = new RequestQueue<Entry>();
    for (let i = 0; i < 2; i++) queue.push(entry(`slow${i}`, SLOW_LANE));
    for (let i = 0; i < 10; i++) queue.push(entry(`fast${i}`, FAST_LANE));
    queue.push(entry('unsure0', UNSURE_LANE));
    const order = drainOrder(queue);
    expect(order.slice(0, 9)).toEqual(['fast0', 'fast1', 'fast2', 'fast3', 'fast4', 'fast5', 'fast6', 'fast7', 'slow0']);
    expect(order.slice(9)).toEqual(['fast8', 'fast9', 'unsure0', 'slow1']);
  });

  it('skips entries that stopped waiting', () => {
    const queue = new RequestQueue<Entry>();
    const gone = entry('gone', FAST_LANE);
    queue.push(gone);
    queue.push(entry('kept', FAST_LANE));
    gone.waiting = false;
    queue.removed();
    expect(drainOrder(queue)).toEqual(['kept']);
  });

  it('moves entries whose route was learnt out of the unsure lane, so an unknown entry behind them is served first', () => {
    const queue = new RequestQueue<Entry>(relane);
    queue.push(entry('slow-old', SLOW_LANE));
    // A flood that came while its route was unknown, and has since been learnt expensive; one learnt cheap.
    for (let i = 0; i < 3; i++) queue.push(entry(`flood${i}`, UNSURE_LANE, SLOW_LANE));
    queue.push(entry('cheap-now', UNSURE_LANE, FAST_LANE));
    queue.push(entry('never-seen', UNSURE_LANE));
    expect(queue.candidates().map((e) => e.name)).toEqual(['cheap-now', 'never-seen', 'slow-old']);
    expect(queue.size).toBe(6);
    // The flood keeps its order, behind what waited in the expensive lane before it moved.
    expect(drainOrder(queue)).toEqual(['cheap-now', 'never-seen', 'slow-old', 'flood0', 'flood1', 'flood2']);
  });

  it('leaves entries in the unsure lane while their route is still unknown', () => {
    const queue = new RequestQueue<Entry>((item) => item.lane);
    queue.push(entry('a', UNSURE_LANE));
    queue.push(entry('b', UNSURE_LANE));
    queue.push(entry('slow', SLOW_LANE));
    expect(drainOrder(queue)).toEqual(['a', 'b', 'slow']);
  });

  it('in a full queue, gives up the newest entry of a lower lane for a newcomer, never one of its own lane or above', () => {
    const queue = new RequestQueue<Entry>(relane);
    queue.push(entry('cheap', FAST_LANE));
    queue.push(entry('unsure', UNSURE_LANE));
    queue.push(entry('slow0', SLOW_LANE));
    queue.push(entry('slow1', SLOW_LANE));
    // An expensive newcomer ranks with the expensive lane: it is the one refused.
    expect(queue.evictFor(SLOW_LANE)).toBeUndefined();
    // A request never seen takes the newest expensive one's place, then the next.
    expect(queue.evictFor(UNSURE_LANE)?.name).toBe('slow1');
    expect(queue.evictFor(UNSURE_LANE)?.name).toBe('slow0');
    expect(queue.size).toBe(2);
    // With no expensive entry left, only a cheap newcomer displaces an unsure one; nothing displaces a cheap one.
    expect(queue.evictFor(UNSURE_LANE)).toBeUndefined();
    expect(queue.evictFor(FAST_LANE)?.name).toBe('unsure');
    expect(queue.evictFor(FAST_LANE)).toBeUndefined();
    expect(drainOrder(queue)).toEqual(['cheap']);
  });

  it('counts an unsure entry whose route was learnt expensive as expensive when making room, and skips entries that left', () => {
    const queue = new RequestQueue<Entry>(relane);
    queue.push(entry('unknown', UNSURE_LANE));
    queue.push(entry('flood', UNSURE_LANE, SLOW_LANE));
    const gone = entry('gone', SLOW_LANE);
    queue.push(gone);
    gone.waiting = false;
    queue.removed();
    expect(queue.evictFor(UNSURE_LANE)?.name).toBe('flood');
    expect(queue.evictFor(UNSURE_LANE)).toBeUndefined();
    expect(queue.size).toBe(1);
    expect(drainOrder(queue)).toEqual(['unknown']);
  });
});
