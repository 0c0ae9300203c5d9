import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { json, startPool, tempDir, waitFor } from './helpers.js';
import { COLD_CALLS } from '../src/costs.js';

type Server = Awaited<ReturnType<typeof startPool>>;

// A hanging, crashing or throwing handler costs only its own request.
describe('pool: failing handlers', () => {
  let server: Server | undefined;
  let dir: string | undefined;

  afterEach(async () => {
    await server?.close();
    server = undefined;
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  async function threadIds(s: Server): Promise<(number | undefined)[]> {
    return (await s.stats()).workers.map((w) => w.threadId);
  }

  it('cuts a synchronous infinite loop at the request timeout: 504, thread replaced, the other thread unaffected', async () => {
    server = await startPool({ limits: { requestTimeout: 400 } });
    const before = await threadIds(server);

    // An SSE stream stays open on one thread (streams are not cut by the timeout)...
    const sse = await fetch(`${server.url}/sse`);
    const reader = sse.body!.getReader();
    const decoder = new TextDecoder();
    let events = '';
    const readEvent = async () => {
      const { value } = await reader.read();
      events += decoder.decode(value);
    };
    await readEvent();
    const streaming = (await server.stats()).workers.find((w) => w.inFlight === 1)!.id;

    // ...while the spin lands on the other one.
    const spin = fetch(`${server.url}/spin`);
    await waitFor(async () => (await server!.stats()).workers.every((w) => w.inFlight === 1), 5000, 'the spin to start');
    const spinning = streaming === 1 ? 2 : 1;

    // During the spin, the other thread answers.
    const during = await json<{ workerId: number }>(fetch(`${server.url}/whoami`));
    expect(during.workerId).toBe(streaming);

    expect((await spin).status).toBe(504);
    await waitFor(async () => (await server!.stats()).workers[spinning - 1]!.restarts === 1, 5000, 'the stuck thread to be replaced');
    await waitFor(async () => (await threadIds(server!))[spinning - 1] !== undefined, 5000, 'the new thread');
    expect((await threadIds(server))[spinning - 1]).not.toBe(before[spinning - 1]);
    expect((await threadIds(server))[streaming - 1]).toBe(before[streaming - 1]);
    expect(server.logger.lines.some((line) => line.includes('GET /spin timed out'))).toBe(true);
    expect(server.logger.lines.some((line) => line.includes(`Pool thread ${spinning} was terminated`))).toBe(true);

    // The stream on the other thread never noticed: it still delivers, in order.
    const seen = events.length;
    await waitFor(
      async () => {
        await readEvent();
        return events.length > seen + 20;
      },
      5000,
      'more events',
    );
    const numbers = [...events.matchAll(/data: (\d+)/g)].map((m) => Number(m[1]));
    expect(numbers).toEqual(numbers.map((_, i) => i));
    await reader.cancel();

    // Both threads serve again.
    const answered = new Set<number>();
    await waitFor(
      async () => {
        answered.add((await json<{ workerId: number }>(fetch(`${server!.url}/whoami`))).workerId);
        return answered.size === 2;
      },
      5000,
      'both threads to answer',
    );
  });

  it("gives a crashing thread's request a 5xx, replaces the thread and keeps serving", async () => {
    server = await startPool();
    dir = tempDir();
    const release = join(dir, 'release');
    const held = fetch(`${server.url}/hold?file=${encodeURIComponent(release)}`);
    await waitFor(async () => (await server!.stats()).workers.some((w) => w.inFlight === 1), 5000, 'the held request');

    const crashed = await fetch(`${server.url}/exit`);
    expect(crashed.status).toBeGreaterThanOrEqual(500);
    await waitFor(async () => (await server!.stats()).workers.some((w) => w.restarts === 1), 5000, 'the thread to be replaced');
    expect(server.logger.lines.some((line) => /Pool thread \d exited/.test(line))).toBe(true);

    writeFileSync(release, '');
    expect((await held).status).toBe(200);
    for (let i = 0; i < 4; i++) expect((await fetch(`${server.url}/whoami`)).status).toBe(200);
  });

  it('answers 500 for a handler that throws or rejects, logs it on the main thread, and lives on', async () => {
    server = await startPool();
    expect((await fetch(`${server.url}/throw`)).status).toBe(500);
    expect((await fetch(`${server.url}/reject`)).status).toBe(500);
    expect(server.logger.lines.some((line) => line.includes('GET /throw failed: the handler threw') && line.includes('boom from the handler'))).toBe(true);
    expect(server.logger.lines.some((line) => line.includes('GET /reject failed: the handler threw') && line.includes('async boom'))).toBe(true);
    expect((await fetch(`${server.url}/whoami`)).status).toBe(200);
    expect((await server.stats()).workers.every((w) => w.restarts === 0)).toBe(true);
  });

  it('answers 500 with a clear log line for a non-Response', async () => {
    server = await startPool();
    expect((await fetch(`${server.url}/not-response`)).status).toBe(500);
    expect(server.logger.lines.some((line) => line.includes('returned an object (Object) instead of a Response'))).toBe(true);
  });

  it('sends requests a dead thread never started to another thread', async () => {
    // One thread, many requests allowed on it. The first request holds the
    // thread synchronously, so the second waits in its port; then the thread
    // dies. The second never started, so it is served by the new thread.
    // The first request's route is known to take a while (so the second may
    // wait behind it; not behind a route never seen).
    server = await startPool({ workers: 1 });
    for (let i = 0; i <= COLD_CALLS; i++) expect(await (await fetch(`${server.url}/block-then-exit?learn=100`)).text()).toBe('learnt');
    dir = tempDir();
    const release = join(dir, 'release');
    const doomed = fetch(`${server.url}/block-then-exit?file=${encodeURIComponent(release)}`);
    await waitFor(async () => (await server!.stats()).workers[0]!.inFlight === 1, 5000, 'the first request to start');
    const behind = fetch(`${server.url}/echo`, { method: 'GET' });
    await waitFor(async () => (await server!.stats()).workers[0]!.inFlight === 2, 5000, 'the second request to reach the thread');
    writeFileSync(release, '');
    expect((await doomed).status).toBe(500);
    const response = await behind;
    expect(response.status).toBe(200);
    expect((await response.json()).method).toBe('GET');
    expect((await server.stats()).workers[0]!.restarts).toBe(1);
  });
});
