#!/usr/bin/env node
/**
 * The pool's three benchmark figures, measured in one run against the
 * reactor and raw node:http on this machine:
 *
 *   (a) hello world, pool / raw node:http       (FastResponse and global Response apps)
 *   (b) ~2 ms of synchronous work per request, pool / reactor
 *   (c) p99 of a cheap route while (b) runs
 *
 * Each contender runs in its own process, started fresh for each
 * measurement, in a shuffled order each round; responses are checked
 * before timing, a warm-up is discarded, and the figures are medians over
 * the rounds. Ratios are taken within a round, so a noisy neighbour on a
 * shared machine weighs on both sides of the ratio.
 *
 * Usage: node run.mjs [--rounds 3] [--duration 8] [--warmup 2] [--cpu-warmup 15]
 *                     [--scenarios hello,cpu] [--quiet] [--json out.json]
 * (--quiet: before each measurement, wait for the machine to be 90% idle.)
 * The CPU scenario warms up longer: each pool thread compiles its own copy
 * of the app and of Node's HTTP-side code, and at ~850 requests a second
 * V8's helper threads are still compiling for them seconds in (their CPU
 * per request fell from about 60 us after 3 s of load to 23 us after 15 s),
 * taking a core share from the threads being measured. A server runs for
 * longer than that; the figure wanted is its steady state.
 * Needs `wrk` on PATH and the packages built (pnpm build).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { median, shuffle as shuffleWith } from '@switchyard/bench';
import { work } from './apps/work.mjs';

const shuffle = (list) => shuffleWith(list, Math.random);

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    duration: { type: 'string', default: '8' },
    warmup: { type: 'string', default: '2' },
    'cpu-warmup': { type: 'string', default: '15' },
    scenarios: { type: 'string', default: 'hello,cpu' },
    connections: { type: 'string', default: '64' },
    'cpu-connections': { type: 'string', default: '32' },
    json: { type: 'string' },
    quiet: { type: 'boolean', default: false },
  },
});
const rounds = Number(args.rounds);
const duration = Number(args.duration);
const warmup = Number(args.warmup);
const cpuWarmup = Number(args['cpu-warmup']);
const scenarios = args.scenarios.split(',');
const here = new URL('.', import.meta.url);

/**
 * Iterations of `work` that take about 2 ms on an idle core of this machine:
 * the fastest of many timed runs, so a busy neighbour does not shrink it.
 */
function calibrate() {
  if (process.env.BENCH_CPU_ITERATIONS) return Number(process.env.BENCH_CPU_ITERATIONS);
  const n = 1_000_000;
  work(n);
  let best = Infinity;
  for (let i = 0; i < 200; i++) {
    const start = performance.now();
    work(n);
    best = Math.min(best, performance.now() - start);
  }
  return Math.round((n * 2) / best);
}

/** Idle share of the machine's CPUs over `ms`, from /proc/stat (Linux). */
async function idleShare(ms) {
  const read = () => {
    const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
    const numbers = fields.map(Number);
    return { idle: numbers[3] + numbers[4], total: numbers.reduce((a, b) => a + b, 0) };
  };
  const a = read();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const b = read();
  return (b.idle - a.idle) / (b.total - a.total);
}

/**
 * With --quiet, waits (up to 10 minutes) until the machine is at least 90%
 * idle, so a neighbour's burst does not land inside a measurement.
 */
async function settle() {
  if (!args.quiet || !existsSync('/proc/stat')) return;
  const deadline = Date.now() + 600_000;
  while ((await idleShare(2000)) < 0.9 && Date.now() < deadline);
}

/** Starts `node server.mjs <kind> <app>` and resolves with its URL and a stop function. */
function start(kind, app, env = {}) {
  const child = spawn(process.execPath, [new URL('./server.mjs', here).pathname, kind, new URL(app, here).pathname], {
    env: { ...process.env, BENCH_CPU_ITERATIONS: String(iterations), ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const line = out.split('\n')[0];
      if (out.includes('\n')) {
        resolve({
          url: line.trim(),
          stop: () =>
            new Promise((done) => {
              child.once('exit', done);
              child.kill('SIGTERM');
              setTimeout(() => child.kill('SIGKILL'), 5000).unref();
            }),
        });
      }
    });
    child.once('exit', (code) => reject(new Error(`${kind} ${app} exited with ${code} before listening`)));
  });
}

async function expectBody(url, expected) {
  const response = await fetch(url);
  const body = await response.text();
  if (response.status !== 200 || (expected !== undefined && body !== expected)) {
    throw new Error(`${url} answered ${response.status} ${JSON.stringify(body)}, expected ${JSON.stringify(expected)}`);
  }
}

const UNITS = { us: 1e-3, ms: 1, s: 1000 };

/** Runs wrk and returns requests/s and latency percentiles in ms. */
function wrk(url, connections, seconds) {
  return new Promise((resolve, reject) => {
    const child = spawn('wrk', ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', url], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('error', reject);
    child.on('exit', () => {
      const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
      const latency = {};
      for (const [, p, value, unit] of out.matchAll(/^\s+(50|99)%\s+([\d.]+)(us|ms|s)$/gm)) latency[`p${p}`] = Number(value) * UNITS[unit];
      const errors = /Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1];
      if (!Number.isFinite(rps)) return reject(new Error(`could not read wrk output:\n${out}`));
      resolve({ rps, ...latency, non2xx: Number(errors ?? 0) });
    });
  });
}

/** One keep-alive connection, one request every 10 ms: latency as a client sees it. */
async function probe(url, seconds) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const latencies = [];
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    const start = performance.now();
    await new Promise((resolve, reject) => {
      request(url, { agent }, (res) => {
        res.resume();
        res.on('end', resolve);
      })
        .on('error', reject)
        .end();
    });
    latencies.push(performance.now() - start);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  return { count: latencies.length, p50: at(0.5), p99: at(0.99) };
}

const HELLO = [
  { name: 'raw node:http', kind: 'raw', app: './apps/hello-fast.mjs' },
  { name: 'reactor FastResponse', kind: 'reactor', app: './apps/hello-fast.mjs' },
  { name: 'reactor Response', kind: 'reactor', app: './apps/hello-native.mjs' },
  { name: 'pool FastResponse', kind: 'pool', app: './apps/hello-fast.mjs' },
  { name: 'pool Response', kind: 'pool', app: './apps/hello-native.mjs' },
];
const CPU = [
  { name: 'reactor', kind: 'reactor', app: './apps/cpu.mjs' },
  { name: 'pool', kind: 'pool', app: './apps/cpu.mjs' },
];

async function helloRound() {
  const result = {};
  for (const contender of shuffle(HELLO)) {
    await settle();
    const server = await start(contender.kind, contender.app);
    try {
      await expectBody(server.url, 'Hello, World!');
      await wrk(server.url, args.connections, warmup);
      result[contender.name] = await wrk(server.url, args.connections, duration);
    } finally {
      await server.stop();
    }
  }
  return result;
}

async function cpuRound() {
  const result = {};
  for (const contender of shuffle(CPU)) {
    await settle();
    const server = await start(contender.kind, contender.app);
    try {
      await expectBody(`${server.url}/cpu`, String(work(iterations)));
      await expectBody(`${server.url}/cheap`, 'ok');
      await wrk(`${server.url}/cpu`, args['cpu-connections'], cpuWarmup);
      const load = wrk(`${server.url}/cpu`, args['cpu-connections'], duration);
      // Probe while the load runs, leaving a margin at both ends.
      await new Promise((resolve) => setTimeout(resolve, 500));
      const cheap = await probe(`${server.url}/cheap`, duration - 1.5);
      result[contender.name] = { ...(await load), cheap };
    } finally {
      await server.stop();
    }
  }
  return result;
}

await settle();
const iterations = calibrate();

const fmt = (n, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '-');
const report = { machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version }, iterations, rounds: [] };
console.log(`# Pool benchmark: ${report.machine.cpus} CPUs (${report.machine.model}), Node ${process.version}`);
console.log(`cpu work: ${iterations} iterations (~2 ms on an idle core); ${rounds} rounds of ${duration} s after ${warmup} s (hello) or ${cpuWarmup} s (cpu) of warm-up, wrk -t1\n`);

for (let round = 1; round <= rounds; round++) {
  const entry = {};
  if (scenarios.includes('hello')) entry.hello = await helloRound();
  if (scenarios.includes('cpu')) entry.cpu = await cpuRound();
  report.rounds.push(entry);
  const parts = [];
  if (entry.hello) parts.push(Object.entries(entry.hello).map(([name, r]) => `${name} ${fmt(r.rps)}`).join(', '));
  if (entry.cpu) parts.push(Object.entries(entry.cpu).map(([name, r]) => `${name} /cpu ${fmt(r.rps)} rps, /cheap p99 ${fmt(r.cheap.p99, 2)} ms`).join(', '));
  console.log(`round ${round}: ${parts.join(' | ')}`);
}

const summary = {};
if (scenarios.includes('hello')) {
  console.log('\n## (a) hello world, -c' + args.connections + '\n');
  console.log('| contender | req/s (median) | x raw node:http (median of rounds) | p99 ms |');
  console.log('|---|---:|---:|---:|');
  for (const { name } of HELLO) {
    const rps = median(report.rounds.map((r) => r.hello[name].rps));
    const ratio = median(report.rounds.map((r) => r.hello[name].rps / r.hello['raw node:http'].rps));
    const p99 = median(report.rounds.map((r) => r.hello[name].p99));
    summary[`hello ${name}`] = { rps, ratio };
    console.log(`| ${name} | ${fmt(rps)} | ${fmt(ratio, 2)} | ${fmt(p99, 2)} |`);
  }
}
if (scenarios.includes('cpu')) {
  console.log(`\n## (b) ~2 ms CPU per request, -c${args['cpu-connections']}; (c) /cheap probed every 10 ms meanwhile\n`);
  console.log('| contender | /cpu req/s | x reactor | /cheap p50 ms | /cheap p99 ms |');
  console.log('|---|---:|---:|---:|---:|');
  for (const { name } of CPU) {
    const rps = median(report.rounds.map((r) => r.cpu[name].rps));
    const ratio = median(report.rounds.map((r) => r.cpu[name].rps / r.cpu.reactor.rps));
    const p50 = median(report.rounds.map((r) => r.cpu[name].cheap.p50));
    const p99 = median(report.rounds.map((r) => r.cpu[name].cheap.p99));
    summary[`cpu ${name}`] = { rps, ratio, cheapP50: p50, cheapP99: p99 };
    console.log(`| ${name} | ${fmt(rps)} | ${fmt(ratio, 2)} | ${fmt(p50, 2)} | ${fmt(p99, 2)} |`);
  }
}
report.summary = summary;
if (args.json) writeFileSync(args.json, JSON.stringify(report, null, 2));
