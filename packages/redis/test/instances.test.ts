import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, type RunningServer, type ServerStats } from '@switchyard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureRedisServer, RedisServer } from '../../../test-support/redis-server.mjs';

/**
 * Three instances of one app, one per backend, sharing a real redis-server
 * through `channel`: a message published in any context reaches every
 * context of every instance, once.
 */
const app = new URL('./fixtures/chat-app.mjs', import.meta.url);
const dir = mkdtempSync(join(tmpdir(), 'switchyard-redis-'));
process.env.RECEIVED_DIR = dir;
// reactor 1 context, pool 2 threads + express lane, cluster 2 processes.
const CONTEXTS = 1 + 3 + 2;

let redis: RedisServer;
const servers: RunningServer[] = [];
beforeAll(async () => {
  ensureRedisServer();
  redis = await RedisServer.start();
  for (const backend of ['reactor', 'pool', 'cluster'] as const) {
    servers.push(await serve({ app, backend, port: 0, workers: 2, signals: false, channel: redis.url, metrics: true }));
  }
}, 120_000);
afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** How many times each context has received `text`, by context file. */
function receipts(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const file of readdirSync(dir)) {
    const lines = readFileSync(join(dir, file), 'utf8').split('\n');
    counts.set(file, lines.filter((line) => line === text).length);
  }
  return counts;
}

async function everyContextOnce(text: string): Promise<Map<string, number>> {
  for (const deadline = Date.now() + 10_000; ; ) {
    const counts = receipts(text);
    if (counts.size === CONTEXTS && [...counts.values()].every((n) => n >= 1)) return counts;
    if (Date.now() > deadline) return counts;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('ctx.channel across instances through Redis', () => {
  it('reaches every context of every instance once, whichever backend publishes', async () => {
    for (const [i, server] of servers.entries()) {
      const text = `hello from ${server.backend} ${i}`;
      const response = await fetch(`${server.url}/publish?m=${encodeURIComponent(text)}`, { method: 'POST' });
      expect(await response.text()).toBe('published');
      const counts = await everyContextOnce(text);
      expect(counts.size, text).toBe(CONTEXTS);
      // Wait a little for a second copy that should never come.
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect([...receipts(text).values()], text).toEqual(Array(CONTEXTS).fill(1));
    }
    const stats = (await Promise.all(servers.map((server) => server.stats()))) as ServerStats[];
    for (const [i, { channel }] of stats.entries()) {
      expect(channel, servers[i]!.backend).toMatchObject({ transport: 'redis', connected: true, published: 1, received: 2, dropped: 0 });
    }
  }, 40_000);

  it('serves every request through a Redis outage, keeps what is published meanwhile, and delivers it and what follows once Redis is back', async () => {
    await redis.stop();
    for (const server of servers) {
      for (const deadline = Date.now() + 10_000; (await server.stats()).channel?.connected; ) {
        if (Date.now() > deadline) throw new Error(`${server.backend} still connected`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    // Requests go on: publishing neither blocks nor fails them.
    const during = `during the outage`;
    const statuses = await Promise.all(
      servers.flatMap((server) =>
        [1, 2, 3].map(() => fetch(`${server.url}/publish?m=${encodeURIComponent(during)}`, { method: 'POST' }).then((r) => r.status)),
      ),
    );
    expect(statuses).toEqual(Array(9).fill(200));
    for (const server of servers) expect((await server.stats()).channel, server.backend).toMatchObject({ connected: false, buffered: 3, dropped: 0 });

    await redis.resume();
    for (const server of servers) {
      for (const deadline = Date.now() + 15_000; !(await server.stats()).channel?.connected; ) {
        if (Date.now() > deadline) throw new Error(`${server.backend} did not reconnect`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    const after = 'after the outage';
    await fetch(`${servers[0]!.url}/publish?m=${encodeURIComponent(after)}`, { method: 'POST' });
    const counts = await everyContextOnce(after);
    expect([...counts.values()]).toEqual(Array(CONTEXTS).fill(1));
    // What was kept during the outage went out after reconnection: each instance's 3, with its own local copies.
    for (const deadline = Date.now() + 10_000; ![...receipts(during).values()].every((n) => n === 9); ) {
      if (Date.now() > deadline) throw new Error(`kept messages not delivered: ${[...receipts(during).values()]}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    for (const server of servers) {
      expect((await server.stats()).channel, server.backend).toMatchObject({ buffered: 0, reconnects: 1 });
      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      expect(metrics, server.backend).toMatch(/^switchyard_channel_connected\{[^}]*transport="redis"[^}]*\} 1$/m);
      expect(metrics, server.backend).toMatch(/^switchyard_channel_reconnects_total\{[^}]*\} 1$/m);
      expect(metrics, server.backend).toMatch(/^switchyard_channel_dropped_total\{[^}]*\} 0$/m);
    }
  }, 60_000);
});
