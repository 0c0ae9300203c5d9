#!/usr/bin/env node
/**
 * `pnpm bench:channel`: `ctx.channel` fan-out, in one machine and across
 * instances. One context publishes a burst of messages as fast as it can;
 * every other context records each message's publish-to-receive latency.
 * Transports, each in the same run:
 *
 *   pool      threads of one instance, relayed by its main thread
 *   cluster   processes of one instance, relayed by its primary
 *   redis     two reactor instances sharing a real redis-server (--channel)
 *
 * Reported per transport: messages per second reaching the slowest
 * receiver (from the burst's first publish to its last arrival there), and
 * the latency p50 / p99 / max over every receiver.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureRedisServer, RedisServer } from '../../../test-support/redis-server.mjs';
import { commandFlags, number, runAsScript } from '../cli-kit.mjs';
import { percentile, sleep } from '../load-kit.mjs';
import { startInstance } from './instance.mjs';

const APP = fileURLToPath(new URL('./channel-app.mjs', import.meta.url));

const post = async (url) => (await fetch(url, { method: 'POST' })).json().catch(() => undefined);

/** One burst of `n` from a context of `publisher`; resolves once each of `receivers` other contexts has all of it. */
async function burst(publisher, dir, n, receivers) {
  await post(`${publisher.url}/control?op=reset`);
  await sleep(200);
  const { context, started } = await post(`${publisher.url}/burst?n=${n}`);
  for (const deadline = Date.now() + 60_000; ; ) {
    await post(`${publisher.url}/control?op=report`);
    await sleep(200);
    const reports = readdirSync(dir)
      .filter((file) => file !== `${context}.json`)
      .map((file) => JSON.parse(readFileSync(join(dir, file), 'utf8')));
    if (reports.length >= receivers && reports.every((report) => report.latencies.length >= n)) return { started, reports };
    if (Date.now() > deadline) throw new Error(`after 60 s, receivers hold ${reports.map((r) => r.latencies.length).join(', ')} of ${n}`);
  }
}

async function measure(name, start, { messages, warmup }) {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-fanout-'));
  const { publisher, receivers, stop } = await start(dir);
  try {
    await burst(publisher, dir, warmup, receivers);
    const { started, reports } = await burst(publisher, dir, messages, receivers);
    const slowest = Math.max(...reports.map((report) => report.last));
    const latencies = reports.flatMap((report) => report.latencies).sort((a, b) => a - b);
    return {
      name,
      receivers: reports.length,
      perSecond: messages / ((slowest - started) / 1000),
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      maxMs: latencies.at(-1),
    };
  } finally {
    await stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const fmt = (n, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

const HELP = `Usage: pnpm bench:channel [options]      (from bench/: node src/deploy/channel.mjs [options])

ctx.channel fan-out: messages/s and publish-to-receive latency over the pool's
threads, the cluster's processes and Redis between two reactor instances.

  --messages N        messages in the burst (default 20000; 500 with --quick)
  --quick             a short run that measures nothing
  -h, --help          this help`;

export async function main(argv = process.argv.slice(2), print = (text) => process.stdout.write(text)) {
  const values = commandFlags(argv, { quick: { type: 'boolean' }, messages: { type: 'string' } }, HELP, print);
  if (!values) return [];
  const messages = number('messages', values.messages, { integer: true, min: 1 }) ?? (values.quick ? 500 : 20_000);
  const settings = { messages, warmup: Math.min(1_000, messages) };
  ensureRedisServer();
  const transports = [
    [
      'pool: threads of one instance',
      async (dir) => {
        const server = await startInstance(APP, 'pool', 2, { env: { FANOUT_DIR: dir } });
        // Two serving threads and the express lane: one publishes, two receive.
        return { publisher: server, receivers: 2, stop: () => server.stop() };
      },
    ],
    [
      'cluster: processes of one instance',
      async (dir) => {
        const server = await startInstance(APP, 'cluster', 2, { env: { FANOUT_DIR: dir } });
        return { publisher: server, receivers: 1, stop: () => server.stop() };
      },
    ],
    [
      'redis: two reactor instances',
      async (dir) => {
        const redis = await RedisServer.start();
        const a = await startInstance(APP, 'reactor', 1, { args: ['--channel', redis.url], env: { FANOUT_DIR: dir } });
        const b = await startInstance(APP, 'reactor', 1, { args: ['--channel', redis.url], env: { FANOUT_DIR: dir } });
        return {
          publisher: a,
          receivers: 1,
          stop: async () => {
            await Promise.all([a.stop(), b.stop()]);
            await redis.stop();
          },
        };
      },
    ],
  ];
  const rows = [];
  for (const [name, start] of transports) {
    process.stderr.write(`channel: ${name}\n`);
    rows.push(await measure(name, start, settings));
  }
  const lines = [
    `One context publishes ${fmt(messages)} messages as fast as it can (after ${fmt(settings.warmup)} for warm-up); every other context records each one's publish-to-receive latency. Messages/s: the burst over the time from its first publish to its last arrival at the slowest receiver. Node ${process.versions.node}.`,
    '',
    '| transport | receivers | messages/s | latency p50 | p99 | max |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const row of rows) {
    lines.push(`| ${row.name} | ${row.receivers} | ${fmt(row.perSecond)} | ${fmt(row.p50Ms, 1)} ms | ${fmt(row.p99Ms, 1)} ms | ${fmt(row.maxMs, 1)} ms |`);
  }
  print(`${lines.join('\n')}\n`);
  return rows;
}

await runAsScript(import.meta.url, () => main(), HELP, 'bench:channel');
