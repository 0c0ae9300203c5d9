/**
 * The model launchers, over real processes and sockets: the sequential
 * baseline truly serves one connection at a time, and resource use covers
 * every process of a server.
 */
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { procAvailable, serverSpec, startModel, type ModelName, type ModelProcess } from '@switchyard/bench';
import { APP, RAW, SEQUENTIAL } from './helpers.js';

const started: ModelProcess[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((proc) => proc.stop()));
});

async function start(model: ModelName, sequential = SEQUENTIAL): Promise<ModelProcess> {
  const proc = await startModel(serverSpec(model, { app: APP, rawHandler: RAW, workers: 2, sequential }));
  started.push(proc);
  return proc;
}

interface Reply {
  status: number;
  body: string;
  connection: string | undefined;
}

/** One request on its own connection; `sent` resolves once the request is on the wire. */
function get(url: string): { sent: Promise<void>; reply: Promise<Reply> } {
  let onSent!: () => void;
  const sent = new Promise<void>((resolve) => (onSent = resolve));
  const reply = new Promise<Reply>((resolve, reject) => {
    const req = request(url, { agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, connection: res.headers.connection }));
    });
    req.on('error', reject);
    req.on('socket', (socket) => socket.once('connect', () => setImmediate(onSent)));
    req.end();
  });
  return { sent, reply };
}

/** Sends a slow request, then a fast one on a second connection; returns the order they finished in. */
async function finishOrder(url: string): Promise<{ order: string[]; replies: Reply[] }> {
  const order: string[] = [];
  const slow = get(`${url}/io?ms=1000`);
  await slow.sent;
  // Give the server the first connection before the second arrives.
  await new Promise((resolve) => setTimeout(resolve, 50));
  const fast = get(`${url}/hello`);
  const replies = await Promise.all([slow.reply.then((r) => (order.push('slow'), r)), fast.reply.then((r) => (order.push('fast'), r))]);
  return { order, replies };
}

describe('the sequential baseline', () => {
  it('serves one connection at a time, where the reactor overlaps them', async () => {
    const sequential = await start('sequential');
    const { order, replies } = await finishOrder(sequential.url);
    expect(order).toEqual(['slow', 'fast']);
    expect(replies.map((r) => r.status)).toEqual([200, 200]);
    // One request per connection, like an HTTP/1.0 synchronous server.
    expect(replies.map((r) => r.connection)).toEqual(['close', 'close']);

    const reactor = await start('reactor');
    expect((await finishOrder(reactor.url)).order).toEqual(['fast', 'slow']);
  });

  it('drops a request once its backlog of waiting connections is full', async () => {
    const proc = await start('sequential', { backlog: 1, keepAlive: false });
    const first = get(`${proc.url}/io?ms=2000`);
    await first.sent;
    await new Promise((resolve) => setTimeout(resolve, 50));
    const waiting = get(`${proc.url}/hello`);
    await waiting.sent;
    await new Promise((resolve) => setTimeout(resolve, 50));
    const dropped = get(`${proc.url}/hello`);
    await expect(dropped.reply).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect((await first.reply).status).toBe(200);
    expect((await waiting.reply).body).toMatch(/^hello from reactor/);
  });
});

describe('resource use', () => {
  it.runIf(procAvailable())('covers every process of a cluster', async () => {
    const proc = await start('cluster');
    const usage = await proc.usage();
    expect(usage.source).toBe('proc');
    // The primary and its two workers.
    expect(usage.processes).toBe(3);
    expect(usage.cpuMs).toBeGreaterThan(0);
    expect(usage.peakRssBytes).toBeGreaterThanOrEqual(usage.rssBytes);
  });

  it('reports where a model runs and answers', async () => {
    for (const model of ['raw', 'pool'] as const) {
      const proc = await start(model);
      const { reply } = get(`${proc.url}/hello`);
      expect((await reply).body).toBe(model === 'raw' ? 'hello from raw\n' : 'hello from pool\n');
      expect((await proc.usage()).processes).toBe(1);
    }
  });
});
