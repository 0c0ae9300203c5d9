/**
 * The two scenarios, for one contender at a time: echo throughput, and a
 * broadcast to many idle sockets (delivery latency, memory per socket).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { treeUsage } from '@switchyard/bench';
import { percentile, sleep } from '../load-kit.mjs';
import { ask, startClient, startServer } from './processes.mjs';

/** Spreads `total` over `parts` as evenly as whole numbers allow. */
export const split = (total, parts) => Array.from({ length: parts }, (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0)).filter((n) => n > 0);

const FD_MARGIN = 256;

/**
 * Echo: `connections` sockets spread over `clients` client processes, each
 * keeping `window` messages of `size` bytes in flight; echoes counted for
 * `duration` seconds after `warmup`. A wrong echo or a socket closed during
 * the run fails the contender: it is not timed.
 */
export async function echoRun(contender, s) {
  const server = await startServer(contender, s.workers, s.connections + FD_MARGIN);
  const clients = [];
  try {
    for (const part of split(s.connections, s.clients)) clients.push({ part, handle: await startClient(part + FD_MARGIN) });
    const url = `ws://127.0.0.1:${server.port}/echo`;
    const replies = await Promise.all(
      clients.map(({ part, handle }) =>
        ask(
          handle,
          { type: 'echo', url, connections: part, window: s.window, size: s.size, warmupMs: s.warmup * 1000, durationMs: s.duration * 1000 },
          'echoed',
        ),
      ),
    );
    const wrong = replies.reduce((sum, r) => sum + r.wrong, 0);
    const closed = replies.reduce((sum, r) => sum + r.closed, 0);
    if (wrong > 0) throw new Error(`${wrong} echoes differed from what was sent`);
    if (closed > 0) throw new Error(`${closed} sockets closed during the run`);
    const rtt = replies.flatMap((r) => r.rtt).sort((a, b) => a - b);
    return {
      messagesPerSecond: replies.reduce((sum, r) => sum + r.echoed / r.seconds, 0),
      echoed: replies.reduce((sum, r) => sum + r.echoed, 0),
      rttP50Ms: percentile(rtt, 50),
      rttP99Ms: percentile(rtt, 99),
    };
  } finally {
    await Promise.all(clients.map(({ handle }) => handle.stop()));
    await server.stop();
  }
}

/**
 * The server's memory now, after a collection in every JavaScript heap:
 * RSS summed over its process tree (a cluster's primary and workers) from
 * /proc, and heapUsed summed over its main thread and every context of the
 * app (a pool's threads, a cluster's processes), each counted once.
 */
async function memory(server, contender) {
  const heaps = new Map();
  const main = await ask(server, { type: 'heap' }, 'heap');
  heaps.set(`${server.pid}-0`, main.heapUsed);
  if (contender !== 'raw') {
    const dir = mkdtempSync(join(tmpdir(), 'switchyard-ws-memory-'));
    try {
      await fetch(`${server.url}/memory?dir=${encodeURIComponent(dir)}`, { method: 'POST' }).then((res) => res.text());
      // Every context answers through the channel; done when the files stop coming.
      let seen = -1;
      for (let i = 0; i < 50; i++) {
        await sleep(200);
        const count = readdirSync(dir).length;
        if (count > 0 && count === seen) break;
        seen = count;
      }
      for (const file of readdirSync(dir)) {
        const figures = JSON.parse(readFileSync(join(dir, file), 'utf8'));
        heaps.set(`${figures.pid}-${figures.threadId}`, figures.heapUsed);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const tree = treeUsage(server.pid);
  return { rssBytes: tree.rssBytes, processes: tree.processes, heapBytes: [...heaps.values()].reduce((a, b) => a + b, 0), heaps: heaps.size };
}

/**
 * Broadcast: `sockets` idle sockets opened from `idleClients` processes and
 * held; the server's memory before and after; then `broadcasts` messages
 * published one at a time (each after every socket had the one before),
 * each timed from its publish stamp to its arrival at every socket.
 */
export async function broadcastRun(contender, s) {
  const server = await startServer(contender, s.workers, s.sockets + FD_MARGIN);
  const clients = [];
  const got = new Map();
  try {
    await sleep(500);
    const before = await memory(server, contender);
    const url = `ws://127.0.0.1:${server.port}/idle`;
    for (const part of split(s.sockets, s.idleClients)) {
      const handle = await startClient(part + FD_MARGIN);
      handle.child.on('message', (m) => m?.type === 'got' && got.set(m.seq, (got.get(m.seq) ?? 0) + 1));
      clients.push({ part, handle });
    }
    const opened = await Promise.all(clients.map(({ part, handle }) => ask(handle, { type: 'open', url, count: part }, 'opened', 300_000)));
    const held = opened.reduce((sum, r) => sum + r.held, 0);
    const failed = opened.reduce((sum, r) => sum + r.failed, 0);
    if (held === 0) throw new Error(`no idle socket opened: ${opened.find((r) => r.error)?.error ?? 'unknown error'}`);
    await sleep(1_000);
    const after = await memory(server, contender);
    const publish = async (seq) => {
      await fetch(`${server.url}/publish`, { method: 'POST', body: String(seq) }).then((res) => res.text());
      for (const deadline = Date.now() + 30_000; (got.get(seq) ?? 0) < clients.length; await sleep(2)) {
        if (Date.now() > deadline) return false;
      }
      return true;
    };
    // One broadcast first, not timed: the first publish pays for code that has not run yet.
    await publish(0);
    await Promise.all(clients.map(({ handle }) => ask(handle, { type: 'reset' }, 'reset')));
    let missed = 0;
    for (let seq = 1; seq <= s.broadcasts; seq++) {
      if (!(await publish(seq))) missed++;
      await sleep(20);
    }
    const replies = await Promise.all(clients.map(({ handle }) => ask(handle, { type: 'latencies' }, 'latencies')));
    const latencies = replies.flatMap((r) => r.ms).sort((a, b) => a - b);
    return {
      held,
      failed,
      broadcasts: s.broadcasts,
      incomplete: missed,
      delivered: latencies.length,
      expected: held * s.broadcasts,
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      maxMs: latencies.at(-1),
      before,
      after,
      rssPerSocket: (after.rssBytes - before.rssBytes) / held,
      heapPerSocket: (after.heapBytes - before.heapBytes) / held,
    };
  } finally {
    await Promise.all(clients.map(({ handle }) => handle.stop()));
    await server.stop();
  }
}
