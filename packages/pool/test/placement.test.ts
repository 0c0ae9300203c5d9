/**
 * The scheduling rule, driven by hand: threads are the main thread's real
 * handles, their progress (the `started` counter and the beat) is written
 * here as a pool thread would write it, and the clock is passed in. Real
 * threads run in the other pool tests; these pin the invariant for cases a
 * benchmark only meets by luck: routes never seen, costs that change, long
 * native work that sends no sign of life, and apps with many paths.
 *
 * The scheduler these replace guessed an unseen route at the average cost
 * of all requests, sent a cheap request to whichever thread it expected to
 * free first, and queued expensive requests up to 3 ms deep by expected
 * cost: each case below put a cheap request behind unknown or several
 * expensive requests there.
 */
import { describe, expect, it } from 'vitest';
import { CHEAP, CHEAP_MS, COLD_CALLS, HEAVY, MAX_ROUTES, RouteCosts, routeKey, UNKNOWN, type CostClass } from '../src/costs.js';
import type { Job } from '../src/job.js';
import type { SessionLink } from '../src/link.js';
import { observeBusy, OBSERVE_MS } from '../src/observe.js';
import { place, type Threads } from '../src/placement.js';
import { SessionProgress } from '../src/progress.js';
import { LIVE_MS, ThreadHandle } from '../src/thread.js';

/** A thread handle over progress this test writes, as the pool thread would. */
class FakeThread {
  readonly handle: ThreadHandle;
  readonly progress = new SessionProgress();

  private constructor(handle: ThreadHandle) {
    this.handle = handle;
  }

  static async start(id: number, express = false): Promise<FakeThread> {
    const handle = new ThreadHandle(id, { message: () => {}, exited: () => {} }, { express, niceIncrement: 0 });
    const fake = new FakeThread(handle);
    const session = { progress: fake.progress, up: Promise.resolve(), ended: new Promise(() => {}), onMessage: () => {}, post: () => {} };
    await handle.start(session as unknown as SessionLink, false);
    return fake;
  }

  /** The thread starts `job` at `at` (it beats as it starts). */
  begin(job: Job, at: number): void {
    this.progress.setBeat(at);
    this.progress.start(job.seq);
  }

  /** The thread's loop moved at `at` (a timer beat, or a turn ended). */
  beat(at: number): void {
    this.progress.setBeat(at);
  }
}

let nextId = 1;
function job(cls: CostClass, expected = cls === CHEAP ? 0.05 : 20, route = `GET /r${nextId}`): Job {
  return { id: nextId++, cls, expected, route, seq: 0, observed: false } as unknown as Job;
}

async function pool(serving: number, express: boolean): Promise<{ threads: Threads; fakes: FakeThread[]; lane?: FakeThread }> {
  const fakes = await Promise.all(Array.from({ length: serving }, (_, i) => FakeThread.start(i + 1)));
  const lane = express ? await FakeThread.start(serving + 1, true) : undefined;
  return { threads: { serving: fakes.map((f) => f.handle), express: lane?.handle, capacity: 512 }, fakes, ...(lane && { lane }) };
}

/** Sends `j` to `fake` at `now`, as the dispatcher does once `place` chose it. */
function send(fake: FakeThread, j: Job, now: number): Job {
  fake.handle.sent(j, now);
  return j;
}

describe('pool scheduling: a cheap request waits behind no unknown and at most one expensive request', () => {
  it('keeps cheap requests off threads that hold a request of a route never seen', async () => {
    const { threads, fakes } = await pool(2, false);
    const [one, two] = fakes as [FakeThread, FakeThread];
    one.begin(send(one, job(UNKNOWN, 0), 0), 0);
    two.begin(send(two, job(UNKNOWN, 0), 0), 0);
    // Both just started, both beat: moving, but what they run may be long. The cheap request waits.
    expect(place(job(CHEAP), threads, 0.1, 0)).toBeUndefined();
    // An unknown route is not guessed cheap either: nothing goes behind them.
    expect(place(job(UNKNOWN, 0), threads, 0.1, 0)).toBeDefined();
  });

  it('sends a cheap request to the express lane while the serving threads hold unknown or expensive work', async () => {
    const { threads, fakes, lane } = await pool(2, true);
    const [one, two] = fakes as [FakeThread, FakeThread];
    one.begin(send(one, job(UNKNOWN, 0), 0), 0);
    two.begin(send(two, job(HEAVY), 0), 0);
    expect(place(job(CHEAP), threads, 0.5, 0)).toBe(lane!.handle);
  });

  it('never sends an expensive or unknown request to the express lane', async () => {
    const { threads, fakes, lane } = await pool(1, true);
    const [one] = fakes as [FakeThread];
    one.begin(send(one, job(HEAVY), 0), 0);
    send(one, job(HEAVY), 0.1);
    expect(lane!.handle.running.size).toBe(0);
    expect(place(job(HEAVY), threads, 1, 0)).toBeUndefined();
    expect(place(job(UNKNOWN, 0), threads, 1, 0)).toBeUndefined();
  });

  it('queues expensive requests at most one deep on a thread, so a cheap one can wait behind only the running one', async () => {
    const { threads, fakes } = await pool(1, false);
    const [one] = fakes as [FakeThread];
    const first = send(one, job(HEAVY, 100), 0);
    one.begin(first, 0);
    // The next expensive request goes while the first runs: the thread has it at hand when it frees.
    expect(place(job(HEAVY, 100), threads, 1, 0)).toBe(one.handle);
    const second = send(one, job(HEAVY, 100), 1);
    // A third does not: it would wait behind two.
    expect(place(job(HEAVY, 100), threads, 2, 0)).toBeUndefined();
    // Nor does a cheap one, for the same reason.
    expect(place(job(CHEAP), threads, 2, 0)).toBeUndefined();
    // The first answers; the second starts: a cheap request may now wait behind that one alone.
    one.handle.answered(first, 100);
    one.begin(second, 100);
    expect(place(job(CHEAP), threads, 100.5, 0)).toBe(one.handle);
  });

  it('lets requests of a route never seen join each other on a moving thread, as many as it holds waiting, and stops once it is busy', async () => {
    const { threads, fakes } = await pool(1, false);
    const [one] = fakes as [FakeThread];
    // A thousand clients open a long poll nobody has seen yet. At each look, every request the thread
    // can take joins; the thread then starts what waits in its port and waits on I/O, beating.
    const CLIENTS = 1000;
    let placed = 0;
    let looks = 0;
    for (let now = 0; placed < CLIENTS && looks < 20; now++, looks++) {
      one.beat(now);
      const startedHeld = one.handle.running.size;
      const joined: Job[] = [];
      while (placed < CLIENTS && place(job(UNKNOWN, 0, 'GET /events'), threads, now, 0) === one.handle) {
        joined.push(send(one, job(UNKNOWN, 0, 'GET /events'), now));
        placed++;
      }
      // Never more waiting in the port than the thread had shown it holds while moving (one, when it held none).
      expect(joined.length).toBeLessThanOrEqual(Math.max(1, startedHeld));
      for (const j of joined) one.begin(j, now);
    }
    // Doubling at each look: a thousand in about ten looks (a look is a millisecond in the dispatcher).
    expect(placed).toBe(CLIENTS);
    expect(looks).toBeLessThanOrEqual(12);
    // One of them now holds the thread's loop (it stops beating): no more join, nor any known-expensive request.
    const later = looks + LIVE_MS + 1;
    expect(place(job(UNKNOWN, 0), threads, later, 0)).toBeUndefined();
    expect(place(job(HEAVY), threads, later, 0)).toBeUndefined();
  });

  it('lets a flood of requests never seen wait at most one deep in the port of a thread that one of them holds', async () => {
    // Before: while the thread's beat was still fresh (LIVE_MS), a flood of a CPU-bound route never seen
    // joined its port up to the cap (512). A first-seen route then waited behind all of them (5 s seen).
    const { threads, fakes } = await pool(1, false);
    const [one] = fakes as [FakeThread];
    const first = send(one, job(UNKNOWN, 0, 'GET /cpu'), 0);
    one.begin(first, 0);
    const joined: Job[] = [];
    let next = place(job(UNKNOWN, 0, 'GET /cpu'), threads, 0.5, 0);
    while (next && joined.length < 600) {
      joined.push(send(one, job(UNKNOWN, 0, 'GET /cpu'), 0.5));
      next = place(job(UNKNOWN, 0, 'GET /cpu'), threads, 0.5, 0);
    }
    expect(joined.length).toBe(1);
  });

  it('queues no request never seen behind one known to be expensive', async () => {
    const { threads, fakes } = await pool(1, false);
    const [one] = fakes as [FakeThread];
    one.begin(send(one, job(HEAVY, 100), 0), 0);
    send(one, job(HEAVY, 100), 0.5);
    expect(place(job(UNKNOWN, 0), threads, 1, 0)).toBeUndefined();
  });

  it('prefers a thread holding only cheap work over one running an expensive request', async () => {
    const { threads, fakes } = await pool(2, false);
    const [one, two] = fakes as [FakeThread, FakeThread];
    one.begin(send(one, job(HEAVY, 5), 0), 0);
    const cheap = send(two, job(CHEAP), 0);
    two.begin(cheap, 0);
    expect(place(job(CHEAP), threads, 0.2, 0)).toBe(two.handle);
  });
});

describe('pool scheduling: long native work and costs that change', () => {
  it('counts a thread that stopped beating as busy, whatever runs there, and sends cheap work elsewhere', async () => {
    const { threads, fakes } = await pool(2, false);
    const [one, two] = fakes as [FakeThread, FakeThread];
    // A cheap-looking request starts on thread 1 and holds its loop: one native call, no beat for 150 ms.
    one.begin(send(one, job(CHEAP), 0), 0);
    two.begin(send(two, job(CHEAP), 0), 0);
    two.beat(150);
    expect(one.handle.busyFor(150)).toBe(150);
    expect(two.handle.busyFor(150)).toBe(0);
    for (let turn = 0; turn < 4; turn++) expect(place(job(CHEAP), threads, 150, turn)).toBe(two.handle);
  });

  it('counts a thread producing a response stream as busy when it stops beating', async () => {
    const { threads, fakes } = await pool(2, false);
    const [one, two] = fakes as [FakeThread, FakeThread];
    // Thread 1 answered with a stream and holds no request; its chunks take synchronous work.
    const streaming = job(CHEAP);
    one.handle.streams.set(streaming.id, streaming);
    one.beat(0);
    two.beat(20);
    expect(one.handle.busyFor(20)).toBe(20);
    expect(place(job(CHEAP), threads, 20, 0)).toBe(two.handle);
    expect(place(job(CHEAP), threads, 20, 1)).toBe(two.handle);
    // While it beats (a stream waiting for its next event), it is a thread like any other.
    one.beat(20);
    expect(one.handle.busyFor(20)).toBe(0);
  });

  it('sends no expensive request behind work running past its expected end', async () => {
    const { threads, fakes } = await pool(1, false);
    const [one] = fakes as [FakeThread];
    one.begin(send(one, job(HEAVY, 20), 0), 0);
    // 20 ms expected: a successor may queue behind it while it is on time...
    expect(place(job(HEAVY, 20), threads, 19, 0)).toBe(one.handle);
    // ...but not once it has held the loop well past that (stuck, or far costlier than learnt).
    expect(place(job(HEAVY, 20), threads, 150, 0)).toBeUndefined();
    // A thread that beats is moving, whatever it holds (requests waiting on I/O).
    one.beat(149.5);
    expect(place(job(HEAVY, 20), threads, 150, 0)).toBe(one.handle);
  });

  it('makes a cheap route expensive as soon as one of its requests is seen holding a thread', async () => {
    const costs = new RouteCosts();
    for (let i = 0; i < 50; i++) costs.record('GET /search', 0.05);
    expect(costs.classify('GET /search')).toBe(CHEAP);
    const { fakes } = await pool(2, false);
    const [one] = fakes as [FakeThread];
    const slow = job(CHEAP, 0.05, 'GET /search');
    // The thread has run the route before: it is warm, so its time is the route's own.
    for (let i = 0; i < COLD_CALLS; i++) one.handle.warmed('GET /search');
    one.begin(send(one, slow, 0), 0);
    // Within a beat or two nothing is concluded: a thread may be paused by the OS or a collection.
    observeBusy([one.handle], costs, LIVE_MS + 1);
    expect(costs.classify('GET /search')).toBe(CHEAP);
    observeBusy([one.handle], costs, OBSERVE_MS + 1);
    expect(costs.classify('GET /search')).toBe(HEAVY);
  });

  it('does not blame a route for a thread running it cold', async () => {
    const costs = new RouteCosts();
    for (let i = 0; i < 50; i++) costs.record('GET /search', 0.05);
    const { fakes } = await pool(1, false);
    const [one] = fakes as [FakeThread];
    // A thread's first calls of a route compile it: slow, and no sign of what the route costs.
    one.begin(send(one, job(CHEAP, 0.05, 'GET /search'), 0), 0);
    observeBusy([one.handle], costs, 50);
    expect(costs.classify('GET /search')).toBe(CHEAP);
    // Its answers count once it has given COLD_CALLS of them.
    const counted = Array.from({ length: COLD_CALLS + 1 }, () => one.handle.warmed('GET /search'));
    expect(counted).toEqual([...Array<boolean>(COLD_CALLS).fill(false), true]);
  });

  it('does not blame one of several started requests for a busy loop', async () => {
    const costs = new RouteCosts();
    for (const route of ['GET /a', 'GET /b']) costs.record(route, 0.05);
    const { fakes } = await pool(1, false);
    const [one] = fakes as [FakeThread];
    const a = send(one, job(CHEAP, 0.05, 'GET /a'), 0);
    const b = send(one, job(CHEAP, 0.05, 'GET /b'), 0);
    one.begin(a, 0);
    one.begin(b, 0);
    observeBusy([one.handle], costs, 50);
    expect([costs.classify('GET /a'), costs.classify('GET /b')]).toEqual([CHEAP, CHEAP]);
  });

  it('turns a route expensive on its third slow answer in a row, and cheap again after a run of fast ones', () => {
    const costs = new RouteCosts();
    costs.record('GET /report', 0.1);
    expect(costs.classify('GET /report')).toBe(CHEAP);
    // A slow answer or two (a collection, a thread paused mid-handler) do not flip it; three do.
    for (let slow = 0; slow < 2; slow++) {
      costs.record('GET /report', 30);
      expect(costs.classify('GET /report')).toBe(CHEAP);
    }
    costs.record('GET /report', 30);
    expect(costs.classify('GET /report')).toBe(HEAVY);
    let fast = 0;
    while (costs.classify('GET /report') === HEAVY) {
      costs.record('GET /report', 0.1);
      fast++;
    }
    // Not on the first fast one: a route near the line does not flap.
    expect(fast).toBeGreaterThan(4);
    expect(fast).toBeLessThan(16);
  });

  it('knows nothing of a route never seen, and guesses nothing', () => {
    const costs = new RouteCosts();
    for (let i = 0; i < 100; i++) costs.record('GET /hello', 0.01);
    expect(costs.classify('GET /new')).toBe(UNKNOWN);
    expect(costs.expected('GET /new')).toBe(0);
    expect(CHEAP_MS).toBeLessThan(1);
  });
});

describe('pool scheduling: apps with many paths', () => {
  it('learns ids in paths once for all of them', () => {
    expect(routeKey('GET', '/users/123')).toBe('GET /users/:id');
    expect(routeKey('GET', '/users/98765/posts/4?page=2')).toBe('GET /users/:id/posts/:id');
    expect(routeKey('GET', '/orders/3f2b9c0e-1d4a-4b6e-9f00-12ab34cd56ef')).toBe('GET /orders/:id');
    expect(routeKey('GET', '/blobs/5d41402abc4b2a76b9719d911017c592')).toBe('GET /blobs/:id');
    expect(routeKey('GET', '/about')).toBe('GET /about');
    expect(routeKey('POST', '/v2/items')).toBe('POST /v2/items');
    const costs = new RouteCosts();
    for (let user = 0; user < 5000; user++) costs.record(routeKey('GET', `/users/${user}`), 0.05);
    expect(costs.size).toBe(1);
  });

  it('keeps the table bounded, forgetting the least recently used route first', () => {
    const costs = new RouteCosts();
    costs.record('GET /health', 0.01);
    for (let i = 0; i < MAX_ROUTES * 5; i++) {
      costs.record(`GET /page-${String.fromCharCode(97 + (i % 26))}${Math.floor(i / 26)}x`, 0.05);
      // The health check keeps being asked for: it stays known.
      if (i % 100 === 0) costs.classify('GET /health');
    }
    expect(costs.size).toBe(MAX_ROUTES);
    expect(costs.classify('GET /health')).toBe(CHEAP);
    expect(costs.classify('GET /page-a0x')).toBe(UNKNOWN);
  });
});

/** A small deterministic generator (mulberry32), so a failure can be replayed from its seed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('pool scheduling: the invariant under random traffic', () => {
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    it(`holds at every placement (seed ${seed})`, async () => {
      const rand = random(seed);
      const { threads, fakes, lane } = await pool(2, seed % 2 === 0);
      const all = lane ? [...fakes, lane] : fakes;
      let now = 0;
      let placedCheap = 0;
      for (let step = 0; step < 4000; step++) {
        now += rand() * 2;
        const fake = all[Math.floor(rand() * all.length)]!;
        const handle = fake.handle;
        const held = [...handle.running.values()];
        const waiting = held.filter((j) => handle.neverStarted(j.seq));
        const started = held.filter((j) => !handle.neverStarted(j.seq));
        const roll = rand();
        if (roll < 0.35) {
          // A request arrives.
          const cls = ([CHEAP, CHEAP, HEAVY, UNKNOWN] as const)[Math.floor(rand() * 4)]!;
          const j = job(cls);
          const target = place(j, threads, now, step);
          if (!target) continue;
          const heavy = target.heavy;
          const busy = target.busyFor(now) > 0;
          if (cls === CHEAP) {
            placedCheap++;
            expect(target.unknown).toBe(0);
            expect(heavy + (heavy === 0 && busy ? 1 : 0)).toBeLessThanOrEqual(1);
          } else {
            expect(target.express).toBe(false);
            // One at a time in a port, except requests never seen joining each other on a moving thread,
            // no more of them waiting than it holds started.
            const inPort = target.unstarted(now);
            if (inPort > 0) {
              expect(cls).toBe(UNKNOWN);
              expect(target.heavy).toBe(target.unknown);
              expect(busy).toBe(false);
              expect(inPort).toBeLessThan(target.running.size - inPort);
            }
          }
          send(all.find((f) => f.handle === target)!, j, now);
        } else if (roll < 0.6 && waiting.length) {
          fake.begin(waiting[0]!, now);
        } else if (roll < 0.85 && started.length) {
          handle.answered(started[Math.floor(rand() * started.length)]!, now);
          fake.beat(now);
        } else if (rand() < 0.5) fake.beat(now);
      }
      expect(placedCheap).toBeGreaterThan(100);
      expect(lane ? lane.handle.heavy : 0).toBe(0);
    });
  }
});
