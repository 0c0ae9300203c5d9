/**
 * Running against servers that are already up (`attach`), figures as the
 * run goes (`live`), and a scenario's models at once (`together`), on real
 * servers. Asserted on what arrives and in which order, never on speed.
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBench, serverSpec, startModel, worstLoopDelay, type LiveTick, type ModelProcess } from '@switchyard/bench';
import { APP, quietLog, SEQUENTIAL } from './helpers.js';

/** A port free now, for a server asked to listen on it. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

const SCENARIO = { name: 'hello', request: { path: '/hello' }, expect: { bodyIncludes: 'hello' }, connections: 4, probe: { request: { path: '/hello' } } };

describe('a run against attached servers, with live figures', () => {
  const servers: Partial<Record<'reactor' | 'pool', ModelProcess>> = {};
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    servers.reactor = await startModel({ ...serverSpec('reactor', { app: APP, sequential: SEQUENTIAL }), port });
    servers.pool = await startModel(serverSpec('pool', { app: APP, workers: 1, sequential: SEQUENTIAL }));
  }, 30_000);
  afterAll(async () => {
    await servers.reactor?.stop();
    await servers.pool?.stop();
  });

  it('starts a server on the port its spec names, and reads its stats()', async () => {
    expect(servers.reactor!.url).toBe(`http://127.0.0.1:${port}`);
    const stats = await servers.reactor!.stats(10_000);
    expect(stats?.eventLoop?.delayP99Ms).toBeTypeOf('number');
    expect(worstLoopDelay(stats)).toBeTypeOf('number');
    expect(worstLoopDelay({ eventLoop: { delayP99Ms: 1 }, workers: [{ eventLoop: { delayP99Ms: 7 } }, {}] })).toBe(7);
    expect(worstLoopDelay(undefined)).toBeUndefined();
  });

  it.each([false, true])('measures them where they run and ticks as it goes (together: %s)', { timeout: 60_000 }, async (together) => {
    const ticks: LiveTick[] = [];
    const { log } = quietLog();
    const result = await runBench({
      app: APP,
      models: ['reactor', 'pool'],
      attach: { reactor: servers.reactor!, pool: servers.pool! },
      scenarios: [SCENARIO],
      runs: 1,
      warmup: 0,
      duration: 1.2,
      together,
      live: { everyMs: 200, onTick: (tick) => ticks.push(tick) },
      progress: 'none',
      log,
    });
    expect(result.settings.attached).toEqual(['reactor', 'pool']);
    expect(result.settings.together).toBe(together || undefined);
    expect(result.warnings.some((w) => w.includes('at the same time'))).toBe(together);
    const scenario = result.scenarios[0]!;
    for (const model of ['reactor', 'pool'] as const) {
      const entry = scenario.models[model]!;
      expect(entry.status).toBe('ok');
      // The same processes served: nothing was started.
      expect(entry.samples[0]!.pid).toBe(servers[model]!.pid);
      const mine = ticks.filter((tick) => tick.model === model);
      const timed = mine.filter((tick) => tick.phase === 'timed');
      expect(timed.length).toBeGreaterThanOrEqual(1);
      for (const tick of timed) {
        expect(tick).toMatchObject({ scenario: 'hello', round: 1 });
        expect(tick.requests).toBeGreaterThanOrEqual(0);
        expect(tick.rssBytes).toBeGreaterThan(0);
        expect(tick.probe?.p99Ms).toBeTypeOf('number');
      }
      // Counts only grow.
      expect(timed.map((tick) => tick.requests)).toEqual([...timed.map((tick) => tick.requests)].sort((a, b) => a - b));
      // One last tick, with the sample the result records.
      const done = mine.at(-1)!;
      expect(done.phase).toBe('done');
      expect(mine.filter((tick) => tick.phase === 'done')).toHaveLength(1);
      expect(done.sample).toEqual(entry.samples[0]);
      expect(done.requests).toBe(entry.samples[0]!.requests);
    }
    // Attached servers outlive the run.
    expect(servers.reactor!.alive()).toBe(true);
    expect(servers.pool!.alive()).toBe(true);
    if (together) {
      // At once: each model's first timed tick comes before the other's done tick.
      const firstTimed = (model: string) => ticks.findIndex((t) => t.model === model && t.phase === 'timed');
      const doneAt = (model: string) => ticks.findIndex((t) => t.model === model && t.phase === 'done');
      expect(firstTimed('reactor')).toBeLessThan(doneAt('pool'));
      expect(firstTimed('pool')).toBeLessThan(doneAt('reactor'));
    }
  });

  it('fails the runs of an attached server that is gone, and validates attach', async () => {
    const { log } = quietLog();
    const result = await runBench({
      app: APP,
      models: ['reactor'],
      attach: { reactor: { url: 'http://127.0.0.1:1', pid: 2 ** 22 + 1 } },
      scenarios: [SCENARIO],
      runs: 1,
      warmup: 0,
      duration: 0.5,
      progress: 'none',
      log,
    });
    expect(result.scenarios[0]!.models.reactor!.problems.join(' ')).toMatch(/is not running/);
    await expect(runBench({ app: APP, models: ['reactor'], attach: { pool: servers.pool! }, scenarios: [SCENARIO] })).rejects.toThrow(/"attach"/);
    await expect(runBench({ app: APP, models: ['reactor'], attach: { reactor: { url: 'nope', pid: 1 } }, scenarios: [SCENARIO] })).rejects.toThrow(
      /attach\.reactor\.url/,
    );
    await expect(runBench({ app: APP, models: ['reactor'], live: {} as never, scenarios: [SCENARIO] })).rejects.toThrow(/"live"/);
  });
});
