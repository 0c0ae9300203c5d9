import { Agent } from 'node:http';
import { collectingLogger, waitFor } from '@switchyard/core/conformance';
import { serve, type ClusterServer } from '@switchyard/cluster';
import { afterEach, describe, expect, it } from 'vitest';
import { requestLimit, resolveClusterOptions } from '../src/options.js';
import { appUrl, get } from './helpers.js';

const servers: ClusterServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close({ graceMs: 500 })));
});

describe('recycling', () => {
  it('spreads request limits with jitter, so processes do not recycle together', () => {
    const options = resolveClusterOptions({ maxRequests: 1_000 });
    expect(options.maxRequestsJitter).toBe(100);
    expect(requestLimit(options, () => 0)).toBe(1_000);
    expect(requestLimit(options, () => 0.999)).toBe(1_100);
    expect(requestLimit(resolveClusterOptions({}), () => 0.5)).toBe(0);
  });

  it('recycles a process after maxRequests without failing a request', async () => {
    const logger = collectingLogger();
    const server = await serve({
      app: appUrl(),
      port: 0,
      workers: 2,
      signals: false,
      logger,
      cluster: { maxRequests: 25, maxRequestsJitter: 5, heartbeatIntervalMs: 100 },
    });
    servers.push(server);
    // Keep-alive and fresh connections, four at a time, until both first processes were
    // recycled and then a little longer (bounded either way).
    const agents = [new Agent({ keepAlive: true, maxSockets: 1 }), new Agent({ keepAlive: true, maxSockets: 1 })];
    const clients: Array<Agent | false> = [...agents, false, false];
    const pids = new Set<string>();
    const failures: string[] = [];
    let sent = 0;
    let stopAt = 8_000;
    const watcher = waitFor(
      'both first processes to be recycled',
      async () => (await server.stats()).workers.every((w) => w.restarts >= 1) || undefined,
      15_000,
    ).finally(() => (stopAt = Math.min(stopAt, sent + 40)));
    await Promise.all(
      clients.map(async (agent) => {
        while (sent < stopAt) {
          const i = sent++;
          try {
            const reply = await get(`${server.url}/pid?sleep=${i % 5}`, agent);
            if (reply.status === 200) pids.add(reply.body);
            else failures.push(`status ${reply.status}`);
          } catch (error) {
            failures.push((error as NodeJS.ErrnoException).code ?? String(error));
          }
        }
      }),
    );
    await watcher;
    for (const agent of agents) agent.destroy();
    expect(failures).toEqual([]);
    expect(pids.size).toBeGreaterThanOrEqual(3);
    expect(logger.lines.some((line) => /recycling process \d \(pid \d+\): it served \d+ requests \(cluster.maxRequests\)/.test(line))).toBe(true);
  });

  it('recycles only the process whose memory passes maxRssBytes', async () => {
    const server = await serve({
      app: appUrl(),
      port: 0,
      workers: 2,
      signals: false,
      logger: collectingLogger(),
      cluster: { maxRssBytes: 160 * 1024 * 1024, heartbeatIntervalMs: 100 },
    });
    servers.push(server);
    const before = (await server.stats()).workers;
    expect(before.every((w) => w.rssBytes > 0 && w.rssBytes < 160 * 1024 * 1024)).toBe(true);
    const fat = (await get(`${server.url}/grow?mb=200`)).body.split(' ')[0];
    const after = await waitFor('the grown process to be replaced', async () => {
      const { workers } = await server.stats();
      return workers.length === 2 && workers.every((w) => w.state === 'ready' && String(w.pid) !== fat) ? workers : undefined;
    });
    // The other process was left alone.
    const lean = before.find((w) => String(w.pid) !== fat)!;
    expect(after.find((w) => w.id === lean.id)).toMatchObject({ pid: lean.pid, restarts: 0 });
    expect(after.find((w) => w.id !== lean.id)).toMatchObject({ restarts: 1 });
  });
});

describe('stats and channels', () => {
  it('reports one row per process plus totals', async () => {
    const server = await serve({ app: appUrl(), port: 0, workers: 2, signals: false, logger: collectingLogger() });
    servers.push(server);
    for (let i = 0; i < 10; i++) await get(`${server.url}/pid`);
    const stats = await server.stats();
    expect(stats.backend).toBe('cluster');
    expect(stats.workers).toHaveLength(2);
    for (const row of stats.workers) {
      expect(row).toMatchObject({ state: 'ready', restarts: 0, responding: true, inFlight: 0 });
      expect(row.pid).not.toBe(process.pid);
      expect(row.rssBytes).toBeGreaterThan(0);
      expect(row.eventLoop.delayP99Ms).toBeGreaterThanOrEqual(row.eventLoop.delayP50Ms);
    }
    expect(stats.workers.map((row) => row.id)).toEqual([1, 2]);
    expect(stats.requests).toBe(10);
    expect(stats.workers.reduce((sum, row) => sum + row.requests, 0)).toBe(10);
    expect(stats.rssBytes).toBe(stats.primary.rssBytes + stats.workers.reduce((sum, row) => sum + row.rssBytes, 0));
    expect(stats.primary.pid).toBe(process.pid);
  });

  it('relays channel messages between processes as structured clones', async () => {
    const server = await serve({ app: appUrl(), port: 0, workers: 2, signals: false, logger: collectingLogger() });
    servers.push(server);
    // Subscribe in both processes: SSE streams over separate connections land on each in turn.
    const subscribers = await Promise.all(
      [0, 1].map(async () => {
        const controller = new AbortController();
        const response = await fetch(`${server.url}/subscribe-map`, { signal: controller.signal });
        const reader = response.body!.getReader();
        const decoder = new TextDecoder();
        let text = '';
        while (!text.includes('event: ready')) text += decoder.decode((await reader.read()).value, { stream: true });
        return { controller, reader, decoder, text, pid: /event: ready\ndata: (\d+)/.exec(text)![1]! };
      }),
    );
    expect(new Set(subscribers.map((s) => s.pid)).size).toBe(2);
    expect((await fetch(`${server.url}/publish-map`)).status).toBe(202);
    for (const s of subscribers) {
      while (!s.text.includes('data: map from')) s.text += s.decoder.decode((await s.reader.read()).value, { stream: true });
      expect(s.text).toMatch(/data: map from \d+/);
      s.controller.abort();
    }
    const publishers = new Set(subscribers.map((s) => /data: map from (\d+)/.exec(s.text)![1]));
    expect(publishers.size).toBe(1);
  });
});
