#!/usr/bin/env node
/**
 * The threads backend beside the cluster on each kind of CPU work the
 * demo's /cpu does (`kind=js`: a JavaScript loop; `native`: one PBKDF2
 * call; `hash`: many short SHA-256 calls into OpenSSL), in the same
 * rounds: each round starts both servers in a random order and loads each
 * with `wrk`; the figure is threads' req/s over the cluster's in that
 * round, and the median over rounds. Work rates are calibrated once here
 * and pinned for every thread and process, so both do the same work.
 *
 *   node src/threads/cpu-kinds.mjs [--workers 2] [--rounds 5] [--duration 4] [--ms 2]
 *
 * Needs Node >= 22.12 (reusePort), wrk, and the packages built.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { serve } from '@switchyard/core';
import { which } from '@switchyard/bench';
import { number, scriptFlags } from '../cli-kit.mjs';

const HELP = `Usage: pnpm bench:threads-cpu [options]      (from bench/: node src/threads/cpu-kinds.mjs [options])

The threads backend over the cluster on each kind of CPU work (JavaScript,
one native call, many short native calls), round by round. Needs Node >= 22.12 and wrk.

  --workers N         threads or processes (default 2)
  --rounds N          rounds; the figure is their median (default 5)
  --duration S        whole seconds of wrk per server and round (default 4)
  --ms N              each request's work in ms (default 2)
  -h, --help          this help`;

const { workers, rounds, duration, ms } = scriptFlags(
  'bench:threads-cpu',
  {
    workers: { type: 'string', default: '2' },
    rounds: { type: 'string', default: '5' },
    duration: { type: 'string', default: '4' },
    ms: { type: 'string', default: '2' },
  },
  HELP,
  (values) => ({
    workers: number('workers', values.workers, { integer: true, min: 1 }),
    rounds: number('rounds', values.rounds, { integer: true, min: 1 }),
    duration: number('duration', values.duration, { integer: true, min: 1 }),
    ms: number('ms', values.ms, { above: true }),
  }),
);
if (!which('wrk')) throw new Error('bench:threads-cpu needs wrk on PATH (apt-get install wrk)');
// Not execFileSync: the cluster's primary is this process, and a blocked loop would accept nothing while wrk runs.
const run = promisify(execFile);
const app = new URL('../../../apps/demo/dist/app.js', import.meta.url).href;

// Calibrated before any server starts (the threads and processes inherit the environment), after a JIT warm-up.
const work = await import(new URL('../../../apps/demo/dist/work/kinds.js', import.meta.url).href);
for (const kind of Object.values(work.KINDS)) if (!process.env[kind.env]) process.env[kind.env] = String(kind.rate());

async function reqPerSec(backend, route) {
  const server = await serve({ app, backend, port: 0, workers, signals: false, logger: { error() {}, warn() {}, info() {} } });
  try {
    const url = `${server.url}${route}`;
    await run('wrk', ['-t1', '-c50', '-d1s', url]);
    const { stdout } = await run('wrk', ['-t1', '-c50', `-d${duration}s`, url]);
    const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1]);
    if (!(rps > 0)) throw new Error(`${backend} served nothing on ${route}:\n${stdout}`);
    return rps;
  } finally {
    await server.close();
  }
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const rows = [];
for (const kind of ['js', 'native', 'hash']) {
  const route = `/cpu?ms=${ms}&kind=${kind}`;
  const ratios = [];
  const cluster = [];
  const threads = [];
  for (let round = 0; round < rounds; round++) {
    const order = Math.random() < 0.5 ? ['cluster', 'threads'] : ['threads', 'cluster'];
    const rps = {};
    for (const backend of order) rps[backend] = await reqPerSec(backend, route);
    cluster.push(rps.cluster);
    threads.push(rps.threads);
    ratios.push(rps.threads / rps.cluster);
    process.stderr.write(`threads-cpu: ${route} round ${round + 1}: cluster ${Math.round(rps.cluster)}, threads ${Math.round(rps.threads)} req/s\n`);
  }
  rows.push({ route, cluster: median(cluster), threads: median(threads), ratios });
}
console.log(`\nthreads ÷ cluster on each kind of CPU work, ${workers} workers, ${rounds} rounds of ${duration} s, wrk -c50; Node ${process.versions.node}\n`);
console.log('| route | cluster req/s | threads req/s | threads ÷ cluster, each round | median |');
console.log('| --- | ---: | ---: | --- | ---: |');
for (const { route, cluster, threads, ratios } of rows) {
  console.log(
    `| \`${route}\` | ${Math.round(cluster)} | ${Math.round(threads)} | ${ratios.map((r) => r.toFixed(2)).join(', ')} | ${median(ratios).toFixed(2)} |`,
  );
}
