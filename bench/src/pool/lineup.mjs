/**
 * The pool runner's contenders and scenarios, as the @switchyard/bench
 * engine takes them: (a) hello world under raw node:http, the reactor and
 * the pool, each app with core's FastResponse and with the global
 * Response; (b) about 2 ms of synchronous work per request, pool over
 * reactor; (c) a cheap route's latency, probed while (b) runs.
 */
import { fileURLToPath } from 'node:url';
import { work } from './apps/work.mjs';

const app = (name) => fileURLToPath(new URL(`./apps/${name}.mjs`, import.meta.url));

export const FAST_APP = app('fast');
export const RAW_HANDLER = app('raw');

/** Engine models (run with the fast app) and contenders (the global Response app). */
export const CONTENDERS = {
  raw: { model: 'raw', note: 'node:http with a hand-written handler: the reference' },
  reactor: { model: 'reactor', note: "@switchyard/reactor, the app returns core's FastResponse" },
  'reactor-global': { contender: { model: 'reactor', app: app('global') }, note: '@switchyard/reactor, the app returns the global Response' },
  pool: { model: 'pool', note: "@switchyard/pool, the app returns core's FastResponse" },
  'pool-global': { contender: { model: 'pool', app: app('global') }, note: '@switchyard/pool, the app returns the global Response' },
};
export const CONTENDER_NAMES = Object.keys(CONTENDERS);

export const POOL_SCENARIOS = [
  { name: 'hello', title: '(a) hello world' },
  { name: 'cpu', title: '(b) ~2 ms of synchronous CPU per request, and (c) /cheap probed meanwhile' },
];
export const POOL_SCENARIO_NAMES = POOL_SCENARIOS.map((s) => s.name);

/**
 * Iterations of `work` that take about `ms` on an idle core of this
 * machine: the fastest of many timed runs, so a busy neighbour does not
 * shrink it. BENCH_CPU_ITERATIONS sets it instead.
 */
export function calibrate(ms) {
  if (process.env.BENCH_CPU_ITERATIONS) return Number(process.env.BENCH_CPU_ITERATIONS);
  const n = 1_000_000;
  work(n);
  let best = Infinity;
  for (let i = 0; i < 200; i++) {
    const start = performance.now();
    work(n);
    best = Math.min(best, performance.now() - start);
  }
  return Math.max(1, Math.round((n * ms) / best));
}

/** The engine's models and contenders for `names` (raw always among them: it is the reference). */
export function poolLineup(names) {
  const chosen = CONTENDER_NAMES.filter((name) => name === 'raw' || names.includes(name));
  const models = chosen.filter((name) => CONTENDERS[name].model);
  const contenders = Object.fromEntries(
    chosen.filter((name) => CONTENDERS[name].contender).map((name) => [name, { ...CONTENDERS[name].contender, note: CONTENDERS[name].note }]),
  );
  const modelNotes = Object.fromEntries(models.map((name) => [name, CONTENDERS[name].note]));
  return { models, contenders, modelNotes, names: chosen };
}

/** The engine's scenarios for `names`, with what each must answer. */
export function poolScenarios(names, lineup, { connections, cpuConnections, cpuWarmup, iterations, cpuMs = 2 }) {
  const scenarios = [];
  if (names.includes('hello')) {
    scenarios.push({
      name: 'hello',
      title: '(a) hello world',
      description: 'What each server costs per request; the pool and the reactor with each kind of Response, against raw node:http.',
      request: { path: '/hello' },
      expect: { status: 200, bodyMatches: '^Hello, World!$' },
      connections,
    });
  }
  const cpuModels = lineup.filter((name) => name === 'reactor' || name === 'pool');
  if (names.includes('cpu') && cpuModels.length) {
    scenarios.push({
      name: 'cpu',
      title: `(b) ~${cpuMs} ms of synchronous CPU per request; (c) /cheap probed meanwhile`,
      description:
        `Each request runs ${iterations} iterations of a loop (about ${cpuMs} ms on an idle core of this machine); one keep-alive connection asks /cheap every 10 ms through each timed run: its p99 is what a light request waits beside CPU-bound ones. ` +
        'The warm-up is longer: each pool thread compiles its own copy of the app and of Node code, and V8 still compiles for them seconds in.',
      request: { path: '/cpu' },
      expect: { status: 200, bodyMatches: `^${work(iterations)}$` },
      connections: cpuConnections,
      warmup: cpuWarmup,
      models: cpuModels,
      probe: { request: { path: '/cheap' }, everyMs: 10 },
    });
  }
  return scenarios;
}
