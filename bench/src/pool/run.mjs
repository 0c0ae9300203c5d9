#!/usr/bin/env node
/**
 * `pnpm bench:pool`: the pool's three figures, measured in one run against
 * the reactor and raw node:http on this machine, on the @switchyard/bench
 * engine:
 *
 *   (a) hello world, pool / raw node:http       (FastResponse and global Response apps)
 *   (b) ~2 ms of synchronous work per request, pool / reactor
 *   (c) p50 and p99 of a cheap route while (b) runs
 *
 * Each timed run gets a fresh server process, in a shuffled order each
 * round; answers are checked before timing, a warm-up is discarded, and the
 * figures are medians over the rounds, ratios taken within a round.
 * The CPU scenario warms up longer (--cpu-warmup, 15 s): each pool thread
 * compiles its own copy of the app and of Node's HTTP-side code, and at
 * ~850 requests a second V8's helper threads are still compiling for them
 * seconds in (their CPU per request fell from about 60 us after 3 s of load
 * to 23 us after 15 s), taking a core share from the threads being
 * measured. A server runs for longer than that; the figure wanted is its
 * steady state. Servers are not pinned by default: the pool needs both cores.
 */
import { fmtFixed, fmtMs, runBench } from '@switchyard/bench';
import { finishReports, runAsScript, runSettings, writeJson } from '../cli-kit.mjs';
import { parsePoolFlags, POOL_HELP } from './flags.mjs';
import { calibrate, CONTENDERS, FAST_APP, POOL_SCENARIOS, poolLineup, poolScenarios, RAW_HANDLER } from './lineup.mjs';

function listing() {
  return [
    'scenarios:',
    ...POOL_SCENARIOS.map((s) => `  ${s.name.padEnd(6)} ${s.title}`),
    'contenders:',
    ...Object.entries(CONTENDERS).map(([name, c]) => `  ${name.padEnd(15)} ${c.note}`),
  ].join('\n');
}

/** The three figures in a few lines, under the engine's report. */
export function poolSummary(result) {
  const lines = ["## The pool's figures", ''];
  const hello = result.scenarios.find((s) => s.name === 'hello');
  if (hello) {
    const ratio = (name) => (hello.models[name]?.ratio ? `${fmtFixed(hello.models[name].ratio.rps)}x raw` : 'n/a');
    for (const name of ['pool', 'pool-global', 'reactor', 'reactor-global'].filter((n) => hello.models[n]))
      lines.push(`- (a) hello world, ${name}: ${ratio(name)}`);
  }
  const cpu = result.scenarios.find((s) => s.name === 'cpu');
  if (cpu) {
    const pool = cpu.models.pool;
    if (pool && cpu.baseline === 'reactor')
      lines.push(`- (b) ~${result.settings.meta?.cpuMs ?? 2} ms CPU per request, pool: ${pool.ratio ? `${fmtFixed(pool.ratio.rps)}x reactor` : 'n/a'}`);
    for (const name of ['reactor', 'pool'].filter((n) => cpu.models[n])) {
      const probe = cpu.models[name].summary?.probe;
      lines.push(`- (c) /cheap while (b) runs, ${name}: p50 ${probe ? fmtMs(probe.p50Ms) : 'n/a'}, p99 ${probe ? fmtMs(probe.p99Ms) : 'n/a'}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** `log` takes progress lines (default: stderr), `print` the markdown report (default: stdout). */
export async function main(
  argv = process.argv.slice(2),
  { log = (line) => process.stderr.write(`${line}\n`), print = (text) => process.stdout.write(text) } = {},
) {
  const flags = parsePoolFlags(argv);
  if (flags.help) return void console.log(POOL_HELP);
  if (flags.list) return void console.log(listing());

  const { seconds, settings } = runSettings(flags, log, 'pool');
  const iterations = calibrate(flags.cpuMs);
  log(`pool: the CPU route runs ${iterations} iterations (~${flags.cpuMs} ms on an idle core)`);
  const lineup = poolLineup(flags.models);
  const scenarios = poolScenarios(flags.scenarios, lineup.names, {
    connections: flags.connections,
    cpuConnections: flags.cpuConnections,
    cpuWarmup: seconds('cpu-warmup', flags.cpuWarmup),
    iterations,
    cpuMs: flags.cpuMs,
  });
  const pool = process.env.BENCH_POOL ? JSON.parse(process.env.BENCH_POOL) : undefined;
  const result = await runBench({
    title: 'Switchyard pool',
    app: FAST_APP,
    rawHandler: RAW_HANDLER,
    models: lineup.models,
    modelNotes: lineup.modelNotes,
    contenders: lineup.contenders,
    scenarios,
    env: { BENCH_CPU_ITERATIONS: String(iterations) },
    serve: { limits: { maxQueue: 100_000 }, ...(pool && { pool }) },
    fresh: 'run',
    ...settings,
    quiet: flags.quiet,
    ...(flags.workers !== undefined && { workers: flags.workers }),
    meta: { suite: 'pool', iterations, cpuMs: flags.cpuMs, ...(pool && { pool }) },
  });
  const out = finishReports(result, { out: flags.out, strict: flags.strict, command: 'bench:pool', print });
  print(`\n${poolSummary(result)}`);
  if (flags.json) log(`bench:pool: results.json also in ${writeJson(result, flags.json)}`);
  return { result, out };
}

await runAsScript(import.meta.url, main, POOL_HELP, 'bench:pool');
