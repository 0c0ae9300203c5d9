import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { join } from 'node:path';
import { collectingLogger, waitFor } from '@switchyard/core/conformance';
import { serve, type ClusterServer } from '@switchyard/cluster';
import type { ServeOptions } from '@switchyard/core';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { appUrl, fixture, get, pidsOf, tempDir } from './helpers.js';

const servers: ClusterServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close({ graceMs: 500 })));
});
const temp = tempDir();
afterAll(() => temp.remove());

async function start(options: Partial<ServeOptions> = {}): Promise<ClusterServer> {
  const server = await serve({
    app: appUrl(),
    port: 0,
    workers: 2,
    signals: false,
    graceMs: 2_000,
    logger: collectingLogger(),
    ...options,
    cluster: { heartbeatIntervalMs: 100, heartbeatTimeoutMs: 3_000, ...options.cluster },
  });
  servers.push(server);
  return server;
}

describe('starting', () => {
  it('resolves only once every process ran setup and is ready', async () => {
    const log = join(temp.dir, 'ready.log');
    const server = await start({ app: appUrl({ setupMs: 300, log }), workers: 3 });
    const setups = readFileSync(log, 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('setup '));
    expect(setups).toHaveLength(3);
    const { workers } = await server.stats();
    expect(workers.map((w) => [w.id, w.state])).toEqual([
      [1, 'ready'],
      [2, 'ready'],
      [3, 'ready'],
    ]);
  });

  it('takes the number of processes from WEB_CONCURRENCY when workers is not given', async () => {
    process.env.WEB_CONCURRENCY = '3';
    try {
      const server = await start({ workers: undefined });
      expect((await server.stats()).workers).toHaveLength(3);
    } finally {
      delete process.env.WEB_CONCURRENCY;
    }
  });

  it('stops on a crash loop instead of spinning: serve() rejects with a clear error', async () => {
    const logger = collectingLogger();
    const failing = serve({
      app: fixture('failing-setup.mjs'),
      port: 0,
      workers: 2,
      signals: false,
      logger,
      cluster: { restartDelayMs: 10, crashLoopLimit: 3 },
    });
    await expect(failing).rejects.toMatchObject({
      name: 'SwitchyardError',
      code: 'ERR_CRASH_LOOP',
      message: expect.stringMatching(/^Crash loop: process \d failed 3 times in a row.*database unreachable/),
    });
    // Each respawn came after a back-off, and each was logged.
    expect(logger.lines.filter((line) => line.includes('starting a new one in')).length).toBeGreaterThanOrEqual(2);
    // The other process, failing in step, must not raise a second, fatal error once serve() has rejected:
    // under the CLI that one exited the process before the rejection's message was printed.
    const settled = logger.lines.length;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(logger.lines.filter((line) => line.includes('Crash loop'))).toEqual([]);
    expect(logger.lines.slice(settled)).toEqual([]);
  });

  it('fails at once, without retrying, when the app cannot be loaded', async () => {
    const missing = serve({ app: join(temp.dir, 'nowhere.mjs'), port: 0, workers: 2, signals: false, logger: collectingLogger() });
    await expect(missing).rejects.toMatchObject({ code: 'ERR_APP_NOT_FOUND' });
  });

  it('names the cluster option that is wrong', async () => {
    await expect(start({ cluster: { heartbeatTimeoutMs: 50, heartbeatIntervalMs: 100 } })).rejects.toThrow(
      'Invalid option "cluster.heartbeatTimeoutMs": expected more than cluster.heartbeatIntervalMs (100), got 50.',
    );
    await expect(start({ cluster: { maxRequest: 10 } })).rejects.toThrow(/Invalid option "cluster.maxRequest": expected one of .*maxRequests/);
    await expect(start({ cluster: { crashLoopLimit: 0 } })).rejects.toMatchObject({ code: 'ERR_INVALID_OPTION' });
  });
});

describe('respawning', () => {
  it('replaces a process that dies while the other keeps serving', async () => {
    const logger = collectingLogger();
    const server = await start({ logger });
    const before = await pidsOf(server.url, 2);
    await expect(get(`${server.url}/exit`)).rejects.toThrow();
    // No gap: every request meanwhile is answered, by the survivor or by the new process.
    for (let i = 0; i < 20; i++) expect((await get(`${server.url}/pid`)).status).toBe(200);
    const stats = await waitFor("a new process in the dead one's slot", async () => {
      const current = await server.stats();
      return current.workers.length === 2 && current.workers.every((w) => w.state === 'ready') && current.restarts === 1 ? current : undefined;
    });
    const after = new Set(stats.workers.map((w) => String(w.pid)));
    expect([...after].filter((pid) => before.has(pid))).toHaveLength(1);
    expect(logger.lines.some((line) => /Process \d \(pid \d+\) exited \(code 1\); starting a new one in \d+ ms/.test(line))).toBe(true);
  });

  it('kills a process whose event loop is stuck; clients of the other process keep going', async () => {
    const logger = collectingLogger();
    const server = await start({ logger, cluster: { heartbeatIntervalMs: 100, heartbeatTimeoutMs: 1_500 } });
    // One keep-alive client on each process.
    const clients = new Map<string, Agent>();
    for (let i = 0; i < 20 && clients.size < 2; i++) {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      const { body } = await get(`${server.url}/pid`, agent);
      if (clients.has(body)) agent.destroy();
      else clients.set(body, agent);
    }
    expect(clients.size).toBe(2);
    const [stuckPid, otherPid] = [...clients.keys()] as [string, string];
    const stuckAgent = clients.get(stuckPid)!;
    const otherAgent = clients.get(otherPid)!;
    const stuck = get(`${server.url}/spin`, stuckAgent).then(
      () => 'answered',
      () => 'connection closed',
    );
    // While one process spins, the other one's client is served, over and over.
    let served = 0;
    while ((await Promise.race([stuck, Promise.resolve('spinning')])) === 'spinning' && served < 500) {
      const { body } = await get(`${server.url}/pid`, otherAgent);
      expect(body).toBe(otherPid);
      served++;
    }
    expect(await stuck).toBe('connection closed');
    expect(served).toBeGreaterThan(0);
    expect(logger.lines.some((line) => line.includes(`(pid ${stuckPid}) sent no heartbeat`) && line.includes('cluster.heartbeatTimeoutMs'))).toBe(true);
    for (const agent of clients.values()) agent.destroy();
  });
});

describe('handing connections over', () => {
  it('hands a process one connection at a time: one whose loop is held gets no more until it takes the one it has', async () => {
    const log = join(temp.dir, 'busy.log');
    // Heartbeats far apart: the held process stays fresh, so only the one-at-a-time rule keeps connections off it.
    const server = await start({ app: appUrl({ log }), cluster: { heartbeatIntervalMs: 2_000, heartbeatTimeoutMs: 10_000 } });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const { body: heldPid } = await get(`${server.url}/pid`, agent);
    const held = get(`${server.url}/busy?ms=1500`, agent);
    await waitFor('the held process to start its loop', () => existsSync(log) && readFileSync(log, 'utf8').includes(`busy ${heldPid}`));
    // A burst of fresh connections, accepted together by the primary.
    const replies = await Promise.all(Array.from({ length: 40 }, () => get(`${server.url}/pid`)));
    expect(replies.every((reply) => reply.status === 200)).toBe(true);
    expect(replies.filter((reply) => reply.body === heldPid).length).toBeLessThanOrEqual(1);
    expect((await held).body).toBe(heldPid);
    agent.destroy();
  });
});

describe('rolling restart', () => {
  it('replaces every process, one at a time, each new one ready before the old one stops', async () => {
    const log = join(temp.dir, 'roll.log');
    const server = await start({ app: appUrl({ log }) });
    const before = (await server.stats()).workers.map((w) => w.pid);
    await server.reload();
    const after = (await server.stats()).workers;
    expect(after.map((w) => w.id)).toEqual([1, 2]);
    expect(after.every((w) => !before.includes(w.pid) && w.restarts === 1)).toBe(true);
    // In order: setup of the new process in a slot, then teardown of the old one, slot after slot.
    const events = readFileSync(log, 'utf8').split('\n').filter(Boolean).slice(2);
    expect(events.map((line) => line.split(' ')[0])).toEqual(['setup', 'teardown', 'setup', 'teardown']);
    expect(events[1]).toBe(`teardown ${before[0]}`);
  });

  it('aborts, keeping the old processes, when a new one fails to become ready', async () => {
    const flag = join(temp.dir, 'broken-setup');
    const server = await start({ app: appUrl({ fail: flag }) });
    const before = (await server.stats()).workers.map((w) => w.pid);
    writeFileSync(flag, '');
    await expect(server.reload()).rejects.toMatchObject({
      code: 'ERR_RELOAD_FAILED',
      message: expect.stringContaining('The old processes keep serving'),
    });
    expect((await server.stats()).workers.map((w) => w.pid)).toEqual(before);
    expect(before.map(String)).toContain((await get(`${server.url}/pid`)).body);
    // Once the app is fixed, the next reload goes through.
    rmSync(flag);
    await server.reload();
    expect((await server.stats()).workers.every((w) => !before.includes(w.pid))).toBe(true);
  });
});
