/**
 * The express lane: one thread beside the serving ones that takes cheap
 * routes while every serving thread is held by synchronous work, and never
 * an expensive route. Also: a thread fed steadily with synchronous requests
 * answers each as it finishes, not when its port runs dry.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { json, startPool, waitFor } from './helpers.js';

interface Busy {
  workerId: number;
  startedAt: number;
}

describe('pool: the express lane', () => {
  let server: Awaited<ReturnType<typeof startPool>> | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('answers a cheap route on the express thread while the only serving thread is busy', async () => {
    server = await startPool({ workers: 1, pool: { expressLane: true } });
    const stats = await server.stats();
    expect(stats.pool.expressLane).toBe(true);
    expect(stats.workers.map((w) => [w.id, w.express])).toEqual([
      [1, false],
      [2, true],
    ]);
    // Learn the costs: /whoami is cheap, /busy?ms=1000 holds a thread for a second. The first
    // calls of a route run cold (and slow on a loaded machine); enough calls average that away.
    for (let i = 0; i < 30; i++) expect((await json(fetch(`${server.url}/whoami`))).workerId).toBe(1);
    expect((await json<Busy>(fetch(`${server.url}/busy?ms=1000`))).workerId).toBe(1);

    let busyDone = false;
    const busy = json<Busy>(fetch(`${server.url}/busy?ms=1000`)).then((body) => ((busyDone = true), body));
    await waitFor(async () => (await server!.stats()).workers[0]!.inFlight === 1, 5000, 'the busy request to reach thread 1');
    const cheap = await json(fetch(`${server.url}/whoami`));
    expect(cheap.workerId).toBe(2);
    expect(busyDone).toBe(false);
    expect((await busy).workerId).toBe(1);
  });

  it('answers a health path on the express thread from its first request, ahead of requests of unknown cost', async () => {
    server = await startPool({ workers: 1, pool: { expressLane: true }, healthPaths: ['/whoami'] });
    // Nothing learnt yet: every /busy request is of unknown cost. The first holds thread 1 for a
    // second; the others wait on the main thread, as a flood does before any route is known.
    let busyDone = 0;
    const busy = Array.from({ length: 4 }, () => json<Busy>(fetch(`${server!.url}/busy?ms=1000`)).then(() => busyDone++));
    await waitFor(async () => (await server!.stats()).workers[0]!.inFlight >= 1, 5000, 'a busy request to reach thread 1');
    // A health check never seen before goes to the express lane, not behind the unknown requests.
    const health = await json(fetch(`${server.url}/whoami`));
    expect(health.workerId).toBe(2);
    expect(busyDone).toBe(0);
    await Promise.all(busy);
  });

  it('never gives a route known to be expensive to the express thread', async () => {
    server = await startPool({ workers: 1, pool: { expressLane: true } });
    expect((await json<Busy>(fetch(`${server.url}/busy?ms=50`))).workerId).toBe(1);
    const answers = await Promise.all(Array.from({ length: 6 }, () => json<Busy>(fetch(`${server!.url}/busy?ms=50`))));
    expect(answers.map((a) => a.workerId)).toEqual([1, 1, 1, 1, 1, 1]);
    expect((await server.stats()).workers[1]!.tasks).toBe(0);
  });

  it('runs exactly `workers` threads when turned off', async () => {
    server = await startPool({ workers: 2, pool: { expressLane: false } });
    const stats = await server.stats();
    expect(stats.pool.expressLane).toBe(false);
    expect(stats.workers.map((w) => [w.id, w.express])).toEqual([
      [1, false],
      [2, false],
    ]);
  });
});

describe('pool: answers from a busy thread', () => {
  it('sends each synchronous answer when its handler ends, not when the thread runs out of requests', async () => {
    // Unknown routes count as cheap, so all six go to the one thread at once and wait in its port.
    const server = await startPool({ workers: 1 });
    try {
      const arrivals: number[] = [];
      const answers = await Promise.all(
        Array.from({ length: 6 }, async () => {
          const body = await json<Busy>(fetch(`${server.url}/busy?ms=100`));
          arrivals.push(performance.timeOrigin + performance.now());
          return body;
        }),
      );
      const lastStart = Math.max(...answers.map((a) => a.startedAt));
      // The first answer reached the client before the thread began the last request.
      expect(Math.min(...arrivals)).toBeLessThan(lastStart);
    } finally {
      await server.close();
    }
  });
});
