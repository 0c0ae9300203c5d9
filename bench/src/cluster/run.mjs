// Cluster benchmark: the same app under raw node:http (1 process), raw
// node:cluster (N processes), the reactor (1) and the cluster backend (N),
// in one run, measured with wrk. Prints a markdown table and writes JSON.
// `--runs` rounds; each round runs every contender once per route.
//
// Usage: node run.mjs [--processes 2] [--connections 32] [--duration 5]
//                     [--runs 3] [--warmup 2] [--out results.json]
import { execFile, spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { burn } from './app.mjs';

const { values } = parseArgs({
  options: {
    processes: { type: 'string', default: '2' },
    connections: { type: 'string', default: '32' },
    threads: { type: 'string', default: '1' },
    duration: { type: 'string', default: '5' },
    runs: { type: 'string', default: '3' },
    warmup: { type: 'string', default: '2' },
    'cpu-ms': { type: 'string', default: '2' },
    out: { type: 'string' },
  },
});
const processes = Number(values.processes);
const here = new URL('.', import.meta.url).pathname;

/** Iterations of `burn` that take about `ms` on this machine, measured on an idle core. */
function calibrate(ms) {
  let n = 100_000;
  for (;;) {
    const start = process.hrtime.bigint();
    burn(n);
    const took = Number(process.hrtime.bigint() - start) / 1e6;
    if (took > 50) return Math.round((n * ms) / took);
    n *= 2;
  }
}
// Warm the JIT first, then take the median of a few calibrations.
calibrate(1);
const iterations = [calibrate(Number(values['cpu-ms'])), calibrate(Number(values['cpu-ms'])), calibrate(Number(values['cpu-ms']))].sort((a, b) => a - b)[1];

const contenders = [
  { name: 'raw node:http', processes: 1, args: ['raw.mjs', String(iterations)] },
  { name: `raw node:cluster x${processes}`, processes, args: ['raw.mjs', String(iterations), String(processes)] },
  { name: 'reactor', processes: 1, args: ['switchyard.mjs', 'reactor', String(iterations)] },
  { name: `cluster x${processes}`, processes, args: ['switchyard.mjs', 'cluster', String(iterations), String(processes)] },
];
const routes = [
  { path: '/hello', expect: 'hello world' },
  { path: '/cpu', expect: String(burn(iterations)) },
];

/** RSS of a process and all its descendants, in bytes, from /proc. */
function treeRss(rootPid) {
  const parents = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {}
  }
  const tree = new Set([rootPid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, parent] of parents) if (tree.has(parent) && !tree.has(pid)) tree.add(pid), (grew = true);
  }
  let bytes = 0;
  for (const pid of tree) {
    try {
      const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (rss) bytes += Number(rss[1]) * 1024;
    } catch {}
  }
  return bytes;
}

function wrk(url, seconds) {
  const args = ['-t', values.threads, '-c', values.connections, '-d', `${seconds}s`, '--latency', url];
  return new Promise((resolve, reject) => {
    execFile('wrk', args, (error, stdout) => {
      if (error) return reject(error);
      const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1]);
      const p99 = /\s99%\s+([\d.]+)(us|ms|s)/.exec(stdout);
      const p99ms = p99 ? Number(p99[1]) * { us: 0.001, ms: 1, s: 1000 }[p99[2]] : NaN;
      const errors = /Non-2xx or 3xx responses: (\d+)|Socket errors: (.*)/.exec(stdout)?.[0] ?? '';
      resolve({ rps, p99ms, errors, command: `wrk ${args.join(' ')}` });
    });
  });
}

async function start(contender) {
  const child = spawn(process.execPath, contender.args, { cwd: here, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /listening (http:\S+)/.exec(out);
      if (match) resolve(match[1]);
    });
    child.on('exit', (code) => reject(new Error(`${contender.name} exited with ${code}`)));
  });
  return { child, url };
}

const results = [];
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const shuffle = (xs) => xs.map((x) => [Math.random(), x]).sort((a, b) => a[0] - b[0]).map(([, x]) => x);

// Each route is its own scenario, on fresh processes, so no route inherits the
// JIT state another left behind. Within a scenario all contenders run side by
// side (idle ones cost nothing) and take turns, in a new random order each
// round: noise from the machine falls on all of them alike.
for (const route of routes) {
  const started = [];
  try {
    for (const contender of contenders) started.push({ contender, ...(await start(contender)) });
    for (const { contender, url } of started) {
      const body = await (await fetch(url + route.path)).text();
      if (body !== route.expect) throw new Error(`${contender.name} ${route.path} answered ${JSON.stringify(body)}`);
      await wrk(url + route.path, Number(values.warmup));
    }
    const samples = new Map();
    for (let round = 0; round < Number(values.runs); round++) {
      for (const { contender, url, child } of shuffle(started)) {
        let peakRss = 0;
        const sampler = setInterval(() => (peakRss = Math.max(peakRss, treeRss(child.pid))), 250);
        const run = await wrk(url + route.path, Number(values.duration));
        clearInterval(sampler);
        if (!samples.has(contender)) samples.set(contender, []);
        samples.get(contender).push({ ...run, peakRss });
        console.error(`round ${round + 1}: ${contender.name} ${route.path}: ${run.rps.toFixed(0)} req/s, RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB${run.errors ? ` (${run.errors})` : ''}`);
      }
    }
    for (const [contender, runs] of samples) {
      results.push({
        contender: contender.name,
        processes: contender.processes,
        route: route.path,
        rps: median(runs.map((r) => r.rps)),
        p99ms: median(runs.map((r) => r.p99ms)),
        runs: runs.map((r) => r.rps),
        errors: runs.map((r) => r.errors).filter(Boolean),
        peakRssBytes: Math.max(...runs.map((r) => r.peakRss)),
        command: runs[0].command,
      });
    }
  } finally {
    for (const { child } of started) child.kill('SIGTERM');
    await Promise.all(started.map(({ child }) => child.exitCode === null && new Promise((resolve) => child.once('exit', resolve))));
  }
}

const find = (name, route) => results.find((r) => r.contender === name && r.route === route);
const lines = [
  `CPU: ${cpus()[0]?.model ?? 'unknown'} (${availableParallelism()} available); Node ${process.version}; /cpu = ${iterations} iterations (~${values['cpu-ms']} ms)`,
  `wrk -t${values.threads} -c${values.connections} -d${values.duration}s, median of ${values.runs} interleaved rounds after a ${values.warmup} s warm-up; load average at the end: ${loadavg().map((n) => n.toFixed(2)).join(' ')}`,
  '',
  '| route | contender | req/s | p99 ms | × reactor | × raw node:http | peak RSS (all processes) |',
  '| --- | --- | ---: | ---: | ---: | ---: | ---: |',
];
for (const route of routes) {
  const reactor = find('reactor', route.path);
  const raw = find('raw node:http', route.path);
  for (const contender of contenders) {
    const row = find(contender.name, route.path);
    lines.push(
      `| ${route.path} | ${row.contender} | ${row.rps.toFixed(0)} | ${row.p99ms.toFixed(1)} | ${(row.rps / reactor.rps).toFixed(2)} | ${(row.rps / raw.rps).toFixed(2)} | ${(row.peakRssBytes / 2 ** 20).toFixed(0)} MiB |`,
    );
  }
}
console.log(lines.join('\n'));
if (values.out) writeFileSync(values.out, JSON.stringify({ iterations, options: values, results }, null, 2));
