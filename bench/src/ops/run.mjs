#!/usr/bin/env node
/**
 * `pnpm bench:ops`: what metrics and access logs cost. Hello-world req/s of
 * each backend with `/metrics` on and with access logs on, as ratios to the
 * same backend with both off, measured in the same rounds on the
 * @switchyard/bench engine (targets: metrics >= 0.97x, access logs
 * >= 0.85x). Then where that cost lands: CPU per request of the serving
 * threads and of the whole server, each mode (thread-cost.mjs). Then, per
 * backend, a fixed number of requests and a scrape during and after them:
 * `/metrics` must agree with the generator.
 */
import { fileURLToPath } from 'node:url';
import { fmtFixed, runBench } from '@switchyard/bench';
import { finishReports, list, loadFlags, parseRunFlags, runAsScript, runSettings, writeJson } from '../cli-kit.mjs';
import { agreementReport, checkAgreement } from './agreement.mjs';
import { APP, BACKENDS, opsLineup } from './lineup.mjs';
import { threadCostReport, threadCosts } from './thread-cost.mjs';
import { PEER_SCENARIOS } from '../peers/scenarios.mjs';

const TARGETS = { metrics: 0.97, log: 0.85 };

const HELLO_SCENARIO = {
  name: 'hello',
  title: 'hello world, with metrics or access logs on and off',
  description: 'Each backend as it ships, with /metrics on, and with access logs on; raw node:http for scale.',
  request: { path: '/hello' },
  expect: { status: 200, bodyMatches: '^Hello, World!$' },
};
const HONO_SCENARIO = PEER_SCENARIOS.find((s) => s.name === 'hono');

/** What each `--app` serves, its raw node:http twin, and the scenario timed. */
const APPS = {
  hello: { app: APP, raw: fileURLToPath(new URL('../pool/apps/raw.mjs', import.meta.url)), scenario: HELLO_SCENARIO },
  hono: {
    app: fileURLToPath(new URL('../peers/apps/hono.mjs', import.meta.url)),
    raw: fileURLToPath(new URL('../peers/apps/raw.mjs', import.meta.url)),
    scenario: { ...HONO_SCENARIO, name: 'hono', title: `${HONO_SCENARIO.title}, with metrics or access logs on and off`, contenders: undefined },
  },
};

export const OPS_PROFILES = {
  default: { runs: 5, duration: 6, warmup: 2 },
  quick: { runs: 1, duration: 1, warmup: 0 },
};

export const OPS_HELP = `Usage: pnpm bench:ops [options]      (from bench/: node src/ops/run.mjs [options])

Hello world under each backend with metrics on and with access logs on, as req/s over the same
backend with both off in the same round (targets: metrics >= ${TARGETS.metrics}x, access logs >= ${TARGETS.log}x);
then CPU per request of the serving threads and of the whole server in each mode; then a scrape
during and after a fixed load, checked against the load generator's count.

  --quick                every contender once, for 1 s: checks the runner, measures nothing
  --backends LIST        some of ${BACKENDS.join(', ')} (default: all)
  --runs N               rounds, >= 1; each figure is the median (default ${OPS_PROFILES.default.runs}; quick ${OPS_PROFILES.quick.runs})
  --duration S           seconds per timed run (default ${OPS_PROFILES.default.duration}; quick ${OPS_PROFILES.quick.duration})
  --warmup S             seconds of discarded load before each run (default ${OPS_PROFILES.default.warmup}; quick ${OPS_PROFILES.quick.warmup})
  --app NAME             hello (default: one route, a few bytes) | hono (the peer suite's Hono app: POST JSON to a
                         route behind two middleware), for the cost ratios
  --connections N        connections of the load (default 64)
  --agreement-requests N requests of the agreement check (default 20000; quick 2000)
  --generator NAME       auto | wrk | autocannon (default auto: wrk when installed)
  --pin MODE             auto | on | off (default off: pool and cluster need both cores)
  --workers N            pool threads and cluster processes (default: the backends' own)
  --timeout S, --seed N, --out DIR, --json FILE, --progress MODE, --strict, -h, --help`;

function appName(raw) {
  if (raw === undefined) return 'hello';
  if (!Object.hasOwn(APPS, raw)) throw new TypeError(`--app: expected one of ${Object.keys(APPS).join(', ')}, got ${JSON.stringify(raw)}`);
  return raw;
}

export function parseOpsFlags(argv) {
  const extra = {
    backends: { type: 'string' },
    app: { type: 'string' },
    connections: { type: 'string' },
    'agreement-requests': { type: 'string' },
    json: { type: 'string' },
    pin: { type: 'string' },
  };
  const { values, flags } = parseRunFlags(argv, OPS_PROFILES, extra);
  const positive = (name, raw, fallback) => {
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1) throw new TypeError(`--${name}: expected an integer >= 1, got ${JSON.stringify(raw)}`);
    return n;
  };
  return {
    ...flags,
    ...loadFlags(values, { pin: 'off' }),
    backends: list('backends', values.backends, BACKENDS) ?? [...BACKENDS],
    app: appName(values.app),
    connections: positive('connections', values.connections, 64),
    agreementRequests: positive('agreement-requests', values['agreement-requests'], flags.profile === 'quick' ? 2_000 : 20_000),
    json: values.json,
  };
}

/** The cost ratios in a few lines. */
export function opsSummary(result) {
  const timed = result.scenarios[0];
  const lines = [`## What metrics and access logs cost (${timed?.name ?? 'no scenario'})`, ''];
  for (const pair of timed?.pairs ?? []) {
    const variant = pair.model.endsWith('-metrics') ? 'metrics' : 'log';
    const ratio = Number.isFinite(pair.rps) ? pair.rps : undefined;
    lines.push(
      `- ${pair.label}: ${ratio === undefined ? 'n/a' : `${fmtFixed(ratio)}x`} (target >= ${TARGETS[variant]}x${ratio === undefined ? '' : ratio >= TARGETS[variant] ? ', met' : ', **not met**'})`,
    );
  }
  return `${lines.join('\n')}\n`;
}

export async function main(
  argv = process.argv.slice(2),
  { log = (line) => process.stderr.write(`${line}\n`), print = (text) => process.stdout.write(text) } = {},
) {
  const flags = parseOpsFlags(argv);
  if (flags.help) return void console.log(OPS_HELP);
  const { settings } = runSettings(flags, log, 'bench:ops');
  const lineup = opsLineup(flags.backends);
  const pairs = lineup.pairs.map((pair) => ({ ...pair, target: TARGETS[pair.model.endsWith('-metrics') ? 'metrics' : 'log'] }));
  const result = await runBench({
    title: 'Switchyard operations: the cost of metrics and access logs',
    app: APPS[flags.app].app,
    rawHandler: APPS[flags.app].raw,
    models: lineup.models,
    contenders: lineup.contenders,
    pairs,
    scenarios: [{ ...APPS[flags.app].scenario, connections: flags.connections }],
    ...settings,
    ...(flags.workers !== undefined && { workers: flags.workers }),
    meta: { suite: 'ops', targets: TARGETS },
  });
  const out = finishReports(result, { out: flags.out, strict: flags.strict, command: 'bench:ops', print });
  print(`\n${opsSummary(result)}`);
  const costs = await threadCosts(flags.backends, { runs: flags.runs, seconds: flags.duration, connections: flags.connections, workers: flags.workers, log });
  print(`\n${threadCostReport(costs)}`);
  const checks = [];
  for (const backend of flags.backends) {
    log(`bench:ops: agreement check, ${backend}`);
    checks.push(await checkAgreement(backend, { requests: flags.agreementRequests, workers: flags.workers }));
  }
  print(`\n${agreementReport(checks)}`);
  if (checks.some((c) => !c.agrees)) process.exitCode = 1;
  if (flags.json) log(`bench:ops: results.json also in ${writeJson({ ...result, threadCosts: costs, agreement: checks }, flags.json)}`);
  return { result, costs, checks, out };
}

await runAsScript(import.meta.url, main, OPS_HELP, 'bench:ops');
