#!/usr/bin/env node
/**
 * How evenly connections spread over the threads backend's threads, beside
 * the cluster's round robin: the kernel picks a listener of a shared port
 * (SO_REUSEPORT) by a hash of each connection, so a few long keep-alive
 * connections can all land on one thread while another idles. For each
 * connection count, `wrk` loads /hello over that many keep-alive
 * connections for a few seconds, several times (fresh connections, so new
 * hashes, each time), and the busiest worker's share of the requests is
 * reported: 1/N is even, 1.00 means one worker served everything.
 *
 *   node src/threads/balance.mjs [--workers 2] [--repeats 5] [--duration 2]
 *
 * Needs Node >= 22.12 (reusePort), wrk, and the packages built.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { serve } from '@switchyard/core';
import { which } from '@switchyard/bench';
import { number, scriptFlags } from '../cli-kit.mjs';

const HELP = `Usage: pnpm bench:threads-balance [options]      (from bench/: node src/threads/balance.mjs [options])

How evenly connections spread over the threads backend's threads (a shared port)
beside the cluster's round robin: the busiest worker's share of /hello under wrk.
Needs Node >= 22.12 and wrk.

  --workers N         threads or processes (default 2)
  --repeats N         wrk runs per connection count, each on fresh connections (default 5)
  --duration S        whole seconds per wrk run (default 2)
  -h, --help          this help`;

const { workers, repeats, duration } = scriptFlags(
  'bench:threads-balance',
  { workers: { type: 'string', default: '2' }, repeats: { type: 'string', default: '5' }, duration: { type: 'string', default: '2' } },
  HELP,
  (values) => ({
    workers: number('workers', values.workers, { integer: true, min: 1 }),
    repeats: number('repeats', values.repeats, { integer: true, min: 1 }),
    duration: number('duration', values.duration, { integer: true, min: 1 }),
  }),
);
const run = promisify(execFile);
const app = fileURLToPath(new URL('../../../apps/demo/dist/app.js', import.meta.url));
if (!which('wrk')) throw new Error('bench:threads-balance needs wrk on PATH (apt-get install wrk)');

/** Requests each worker has served; after a pause, so a cluster process's count (sent with its heartbeat) is current. */
async function requestsByWorker(server) {
  await new Promise((resolve) => setTimeout(resolve, 1_200));
  return new Map((await server.stats()).workers.map((w) => [w.id, w.requests]));
}

async function busiestShares(backend, connections) {
  const server = await serve({ app, backend, port: 0, workers, signals: false, logger: { error() {}, warn() {}, info() {} } });
  try {
    const shares = [];
    for (let i = 0; i < repeats; i++) {
      const before = await requestsByWorker(server);
      // Not execFileSync: the cluster's primary is this process, and a blocked loop would accept nothing while wrk runs.
      await run('wrk', ['-t1', `-c${connections}`, `-d${duration}s`, `${server.url}/hello`]);
      const after = await requestsByWorker(server);
      const served = [...after].map(([id, n]) => n - (before.get(id) ?? 0));
      const total = served.reduce((a, b) => a + b, 0);
      if (total < connections * 10) throw new Error(`${backend} served only ${total} requests over ${connections} connections in ${duration} s`);
      shares.push(Math.max(...served) / total);
    }
    return shares;
  } finally {
    await server.close();
  }
}

const rows = [];
for (const connections of [2, 4, 16, 100]) {
  for (const backend of ['threads', 'cluster']) {
    const shares = await busiestShares(backend, connections);
    rows.push({ backend, connections, shares });
    process.stderr.write(`threads-balance: ${backend}, ${connections} connections\n`);
  }
}
console.log(
  `\nThe busiest of ${workers} workers' share of the requests, /hello under wrk, ${repeats} runs of ${duration} s each (1/${workers} = ${(1 / workers).toFixed(2)} is even); Node ${process.versions.node}\n`,
);
console.log('| connections | backend | busiest share, each run | median |');
console.log('| ---: | --- | --- | ---: |');
for (const { backend, connections, shares } of rows) {
  const sorted = [...shares].sort((a, b) => a - b);
  console.log(`| ${connections} | ${backend} | ${shares.map((s) => s.toFixed(2)).join(', ')} | ${sorted[Math.floor(sorted.length / 2)].toFixed(2)} |`);
}
