import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SwitchyardError } from '@switchyard/core';
import { serve } from '@switchyard/pool';
import { json, startPool, tempDir, waitFor } from './helpers.js';

describe('pool: per-thread contexts', () => {
  let dir: string | undefined;
  const saved = process.env.SWITCHYARD_POOL_TEST_DIR;

  afterEach(() => {
    if (saved === undefined) delete process.env.SWITCHYARD_POOL_TEST_DIR;
    else process.env.SWITCHYARD_POOL_TEST_DIR = saved;
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('runs setup and teardown once per thread, with workerIds 1..N and N+1 for the express lane', async () => {
    dir = tempDir();
    // Threads copy the environment when they start.
    process.env.SWITCHYARD_POOL_TEST_DIR = dir;
    const server = await startPool({ workers: 3, pool: { expressLane: true } });
    for (let i = 0; i < 12; i++) await (await fetch(`${server.url}/whoami`)).text();
    await server.close();
    await server.close();
    const lines = readFileSync(join(dir, 'lifecycle.log'), 'utf8').trim().split('\n');
    const setups = lines.filter((line) => line.startsWith('setup '));
    const teardowns = lines.filter((line) => line.startsWith('teardown '));
    expect(setups.map((line) => line.split(' ').slice(1, 3).join(' ')).sort()).toEqual(['pool 1', 'pool 2', 'pool 3', 'pool 4']);
    // Each thread tore down once: the same thread ids as set up.
    expect(teardowns.map((line) => line.split(' ')[1]).sort()).toEqual(setups.map((line) => line.split(' ')[3]).sort());
  });

  it('runs setup again in a thread that replaces a crashed one', async () => {
    dir = tempDir();
    process.env.SWITCHYARD_POOL_TEST_DIR = dir;
    const server = await startPool({ workers: 1 });
    expect((await fetch(`${server.url}/exit`)).status).toBe(500);
    await waitFor(async () => (await fetch(`${server.url}/whoami`)).status === 200, 5000, 'the new thread');
    await server.close();
    const setups = readFileSync(join(dir, 'lifecycle.log'), 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('setup pool 1 '));
    expect(setups).toHaveLength(2);
  });

  it('delivers channel messages published on one thread to subscribers on every thread', async () => {
    const server = await startPool({ workers: 2 });
    try {
      // Publish from each thread in turn: round robin spreads idle requests.
      for (let i = 0; i < 4; i++) await (await fetch(`${server.url}/publish?text=m${i}`)).text();
      const views = new Map<number, { text: string; from: number }[]>();
      await waitFor(
        async () => {
          const got = await json<{ workerId: number; news: { text: string; from: number }[] }>(fetch(`${server.url}/news`));
          views.set(got.workerId, got.news);
          return views.size === 2 && [...views.values()].every((news) => news.length === 4);
        },
        5000,
        'every thread to see every message',
      );
      for (const news of views.values()) {
        expect(news.map((m) => m.text).sort()).toEqual(['m0', 'm1', 'm2', 'm3']);
        expect(new Set(news.map((m) => m.from))).toEqual(new Set([1, 2]));
      }
    } finally {
      await server.close();
    }
  });

  it('aborts ctx.signal on the thread when the client leaves', async () => {
    // One thread only: the probes must reach the thread that holds the handler, not the express lane.
    const server = await startPool({ workers: 1, pool: { expressLane: false } });
    try {
      const controller = new AbortController();
      const pending = fetch(`${server.url}/wait-abort`, { signal: controller.signal }).catch(() => undefined);
      // Started, not merely sent to the thread: one whose client left before the thread took it up is dropped unrun.
      await waitFor(async () => (await (await fetch(`${server.url}/awaiting-abort`)).text()) === '1', 5000, 'the handler to start');
      controller.abort();
      await pending;
      const aborted = await waitFor(
        async () => {
          const list = await json<string[]>(fetch(`${server.url}/aborted`));
          return list.length > 0 ? list : undefined;
        },
        5000,
        'the handler to see the abort',
      );
      expect(aborted).toEqual(['AbortError']);
      await waitFor(async () => (await server.stats()).inFlight === 0, 5000, 'nothing in flight');
    } finally {
      await server.close();
    }
  });

  it("rejects serve() with the app's own error when setup fails", async () => {
    dir = tempDir();
    const app = join(dir, 'bad-setup.mjs');
    writeFileSync(app, "export default { setup() { throw new Error('no database'); }, fetch() { return new Response('x'); } };\n");
    await expect(serve({ app, port: 0, workers: 2, signals: false })).rejects.toThrow('no database');
  });

  it('rejects serve() when the app module is missing, with the code core uses', async () => {
    const error = await serve({ app: '/nonexistent/app.mjs', port: 0, workers: 1, signals: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SwitchyardError);
    expect((error as SwitchyardError).code).toBe('ERR_APP_NOT_FOUND');
  });

  it('validates pool options with errors that name the option', async () => {
    const attempt = (pool: Record<string, unknown>) => serve({ app: '/x.mjs', port: 0, signals: false, pool });
    await expect(attempt({ concurrentTasksPerWorker: 0 })).rejects.toThrow(/"pool\.concurrentTasksPerWorker": expected an integer from 1/);
    await expect(attempt({ streamWindow: 'big' })).rejects.toThrow(/"pool\.streamWindow"/);
    await expect(attempt({ execArgv: '--inspect' })).rejects.toThrow(/"pool\.execArgv": expected an array of strings/);
    await expect(attempt({ resourceLimits: { heap: 1 } })).rejects.toThrow(/"pool\.resourceLimits\.heap"/);
    await expect(attempt({ niceIncrement: 20 })).rejects.toThrow(/"pool\.niceIncrement": expected an integer from 0 to 19/);
    await expect(attempt({ threads: 4 })).rejects.toThrow(/"pool\.threads": expected one of concurrentTasksPerWorker/);
  });
});
