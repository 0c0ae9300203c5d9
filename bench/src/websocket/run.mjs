#!/usr/bin/env node
/**
 * `pnpm bench:websocket`: WebSockets under each backend beside the `ws`
 * package on a plain `node:http` server (the reference every ratio divides
 * by, measured in the same run). Two scenarios:
 *
 *   echo       50 sockets, each keeping 16 small text messages in flight to
 *              an app that sends every message back: messages/s.
 *   broadcast  10,000 idle sockets subscribed to one topic; one message at
 *              a time published to all of them (`ctx.publish` from a POST;
 *              a loop over the sockets for raw ws): delivery latency p50 /
 *              p99, and server memory per idle socket (RSS and heap).
 *
 * Each contender's server runs in a child process of its own; the clients
 * run in other processes, so they never share the server's event loop.
 * Writes results.json, results.md and report.html (charts) under
 * bench/results/websocket-<timestamp>/ (or --out).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { median, shuffle, systemInfo } from '@switchyard/bench';
import { list, number, runAsScript } from '../cli-kit.mjs';
import { RESULTS, userPath } from '../matrix/paths.mjs';
import { broadcastRun, echoRun } from './measure.mjs';
import { htmlReport, markdownReport } from './report.mjs';

export const CONTENDERS = ['raw', 'reactor', 'pool', 'cluster'];
export const SCENARIOS = ['echo', 'broadcast'];
export const TARGETS = { echoReactor: 0.9, memoryPerSocket: 1.2 };

const PROFILES = {
  default: { rounds: 3, duration: 5, warmup: 1, sockets: 10_000, broadcasts: 20 },
  quick: { rounds: 1, duration: 1, warmup: 0.5, sockets: 1_000, broadcasts: 5 },
};

export const HELP = `Usage: pnpm bench:websocket [flags]

  --quick                 a short pass (1 round of 1 s, 1,000 idle sockets): checks the pipeline, measures nothing
  --scenarios LIST        echo, broadcast (default both)
  --contenders LIST       raw, reactor, pool, cluster (default all; raw is always measured, as the reference)
  --rounds N              echo rounds, each contender once per round in a shuffled order (default 3; quick 1)
  --duration S            seconds counted per echo run (default 5; quick 1)
  --warmup S              seconds of echo before counting (default 1; quick 0.5)
  --connections N         echo sockets (default 50)
  --window N              echo messages in flight per socket (default 16)
  --size N                echo message bytes (default 64)
  --clients N             echo client processes (default 1)
  --sockets N             idle sockets in broadcast (default 10000; quick 1000; env WS_BENCH_SOCKETS)
  --idle-clients N        processes holding them (default one per 2,500 sockets)
  --broadcasts N          timed broadcasts (default 20; quick 5)
  --workers N             pool threads and cluster processes (default 2)
  --out DIR               where the reports go (default bench/results/websocket-<timestamp>)`;

const VALUED = [
  'scenarios',
  'contenders',
  'rounds',
  'duration',
  'warmup',
  'connections',
  'window',
  'size',
  'clients',
  'sockets',
  'idle-clients',
  'broadcasts',
  'workers',
  'out',
];
const OPTIONS = { ...Object.fromEntries(VALUED.map((name) => [name, { type: 'string' }])), quick: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } };

/** The hard open-file limit a child may raise itself to (`ulimit -Hn`); Infinity when unlimited or unknown. */
function hardFdLimit() {
  const n = Number(spawnSync('/bin/sh', ['-c', 'ulimit -Hn'], { encoding: 'utf8' }).stdout?.trim());
  return Number.isFinite(n) && n > 0 ? n : Number.POSITIVE_INFINITY;
}

export function parseFlags(argv) {
  const { values } = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false });
  const base = PROFILES[values.quick ? 'quick' : 'default'];
  const whole = (flag, fallback, min = 1) => number(flag, values[flag], { integer: true, min }) ?? fallback;
  const sockets = whole('sockets', number('sockets', process.env.WS_BENCH_SOCKETS, { integer: true, min: 1 }) ?? base.sockets);
  const contenders = list('contenders', values.contenders, CONTENDERS) ?? CONTENDERS;
  return {
    help: values.help === true,
    quick: values.quick === true,
    out: values.out,
    scenarios: list('scenarios', values.scenarios, SCENARIOS) ?? SCENARIOS,
    contenders: contenders.includes('raw') ? contenders : ['raw', ...contenders],
    rounds: whole('rounds', base.rounds),
    duration: number('duration', values.duration, { above: true }) ?? base.duration,
    warmup: number('warmup', values.warmup) ?? base.warmup,
    connections: whole('connections', 50),
    window: whole('window', 16),
    size: whole('size', 64, 8),
    clients: whole('clients', 1),
    sockets,
    idleClients: whole('idle-clients', Math.max(1, Math.ceil(sockets / 2_500))),
    broadcasts: whole('broadcasts', base.broadcasts),
    workers: whole('workers', 2),
  };
}

const errorOf = (error) => (error instanceof Error ? error.message : String(error));

/** Echo, `rounds` times, each contender once per round in a fresh order; ratios to raw within the round. */
async function echoScenario(s, log) {
  const rounds = [];
  for (let r = 0; r < s.rounds; r++) {
    const order = shuffle(s.contenders, Math.random);
    const runs = {};
    for (const contender of order) {
      log(`websocket: echo, round ${r + 1}/${s.rounds}, ${contender}`);
      try {
        runs[contender] = await echoRun(contender, s);
      } catch (error) {
        runs[contender] = { error: errorOf(error) };
        log(`websocket: echo, ${contender} failed: ${errorOf(error)}`);
      }
    }
    rounds.push({ order, runs });
  }
  const summary = {};
  for (const contender of s.contenders) {
    const ok = rounds.map((round) => round.runs[contender]).filter((run) => run && !run.error);
    if (ok.length === 0) {
      summary[contender] = { error: rounds.map((round) => round.runs[contender]?.error).find(Boolean) ?? 'not run' };
      continue;
    }
    const ratios = rounds
      .filter((round) => !round.runs[contender]?.error && round.runs.raw && !round.runs.raw.error)
      .map((round) => round.runs[contender].messagesPerSecond / round.runs.raw.messagesPerSecond);
    const rates = ok.map((run) => run.messagesPerSecond);
    summary[contender] = {
      rounds: ok.length,
      failedRounds: s.rounds - ok.length,
      messagesPerSecond: median(rates),
      min: Math.min(...rates),
      max: Math.max(...rates),
      ratio: ratios.length ? median(ratios) : null,
      rttP50Ms: median(ok.map((run) => run.rttP50Ms)),
      rttP99Ms: median(ok.map((run) => run.rttP99Ms)),
    };
  }
  return { rounds, summary };
}

/** Broadcast, each contender once (raw first: the reference), with memory ratios to raw. */
async function broadcastScenario(s, log) {
  const summary = {};
  for (const contender of s.contenders) {
    log(`websocket: broadcast to ${s.sockets.toLocaleString('en-US')} idle sockets, ${contender}`);
    try {
      summary[contender] = await broadcastRun(contender, s);
    } catch (error) {
      summary[contender] = { error: errorOf(error) };
      log(`websocket: broadcast, ${contender} failed: ${errorOf(error)}`);
    }
  }
  const raw = summary.raw;
  for (const contender of s.contenders) {
    const row = summary[contender];
    if (row.error) continue;
    const usable = raw && !raw.error;
    row.rssRatio = usable ? row.rssPerSocket / raw.rssPerSocket : null;
    row.heapRatio = usable ? row.heapPerSocket / raw.heapPerSocket : null;
    row.p99Ratio = usable ? row.p99Ms / raw.p99Ms : null;
  }
  return { summary };
}

export async function main(argv = process.argv.slice(2), print = (text) => process.stdout.write(text), log = (line) => process.stderr.write(`${line}\n`)) {
  const s = parseFlags(argv);
  if (s.help) {
    print(`${HELP}\n`);
    return undefined;
  }
  const hard = hardFdLimit();
  const needed = Math.ceil(s.sockets / s.idleClients) + 256;
  if (s.scenarios.includes('broadcast') && (s.sockets + 256 > hard || needed > hard))
    throw new TypeError(
      `--sockets ${s.sockets} needs about ${s.sockets + 256} open files in the server, over the hard limit of ${hard} (raise the hard limit, as root: ulimit -Hn, or ask for fewer with --sockets)`,
    );
  const started = new Date().toISOString();
  const result = {
    started,
    quick: s.quick,
    machine: systemInfo(),
    settings: { ...s, out: undefined, help: undefined, targets: TARGETS, fdHardLimit: Number.isFinite(hard) ? hard : null },
    contenders: s.contenders,
  };
  if (s.scenarios.includes('echo')) result.echo = await echoScenario(s, log);
  if (s.scenarios.includes('broadcast')) result.broadcast = await broadcastScenario(s, log);
  result.finished = new Date().toISOString();
  const dir = s.out ? userPath(s.out) : resolve(RESULTS, `websocket-${started.replace(/[:.]/g, '-')}`);
  mkdirSync(dir, { recursive: true });
  const markdown = markdownReport(result);
  writeFileSync(resolve(dir, 'results.json'), `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(resolve(dir, 'results.md'), markdown);
  writeFileSync(resolve(dir, 'report.html'), htmlReport(result));
  print(markdown);
  const shown = relative(process.env.INIT_CWD ?? process.cwd(), dir);
  log(`websocket: reports in ${shown && !shown.startsWith('..') ? shown : dir}/ (results.json, results.md, report.html)`);
  return { dir, result };
}

await runAsScript(import.meta.url, () => main(), HELP, 'bench:websocket');
