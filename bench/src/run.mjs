/**
 * The bridge runner: the tinybench micro suite (bridge, pool dispatch,
 * channel fan-out, headers), then the reactor's HTTP ratios against raw
 * node:http on the @switchyard/bench engine. Prints markdown; writes
 * micro.{json,md} and the engine's reports (results.json, results.md,
 * report.html) under bench/results/<timestamp>/ (or --out).
 *
 *   node src/run.mjs [--only micro|http] [--quick] [--duration 3] [--runs 8] [--warmup 2]
 *                    [--connections 100] [--generator auto|wrk|autocannon]
 *                    [--contenders a,b] [--seed N] [--native-read reader|arraybuffer]
 *                    [--pin auto|on|off] [--micro-time 500] [--micro-only LIST] [--out DIR]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { systemInfo } from '@switchyard/bench';
import { fail, finishReports, list, loadFlags, number, runAsScript } from './cli-kit.mjs';
import { CONTENDER_NAMES } from './http/contenders.mjs';
import { HTTP_DEFAULTS, runReactorHttp } from './http/reactor.mjs';
import { RESULTS, userPath } from './matrix/paths.mjs';
import { MICRO_DEFAULTS, microMarkdown, pickSuites, runMicro, SUITE_NAMES } from './micro/index.mjs';

/** `quick` runs each part once, briefly: it proves the runner end to end and measures nothing. */
export const BRIDGE_PROFILES = {
  default: {
    runs: HTTP_DEFAULTS.runs,
    duration: HTTP_DEFAULTS.duration,
    warmup: HTTP_DEFAULTS.warmup,
    microTime: MICRO_DEFAULTS.time,
    microWarmup: MICRO_DEFAULTS.warmupTime,
  },
  quick: { runs: 1, duration: 1, warmup: 0, microTime: 20, microWarmup: 5 },
};

export const HELP = `Usage: node src/run.mjs [options]     (pnpm bench:bridge; bench:micro and bench:http run one part)

  --only micro|http        run one part (default: both)
  --quick                  every part once, briefly: checks the runner, measures nothing
  --duration SECONDS       per timed HTTP run (default ${BRIDGE_PROFILES.default.duration}; quick ${BRIDGE_PROFILES.quick.duration})
  --runs N                 rounds: timed runs per contender, each in a fresh process (default ${BRIDGE_PROFILES.default.runs}; quick ${BRIDGE_PROFILES.quick.runs})
  --warmup SECONDS         discarded warm-up before each timed run (default ${BRIDGE_PROFILES.default.warmup}; quick ${BRIDGE_PROFILES.quick.warmup})
  --connections N          keep-alive connections (default ${HTTP_DEFAULTS.connections})
  --generator NAME         auto | wrk | autocannon (default auto: wrk when installed, else autocannon)
  --contenders LIST        comma-separated subset of ${CONTENDER_NAMES.join(',')}
  --seed N                 seed of the random run order (default: random, recorded)
  --native-read HOW        how raw-native reads its body: reader | arraybuffer (default reader)
  --pin auto|on|off        servers on CPU 0, the generator on CPU 1 (default auto: when taskset exists and cores >= 2)
  --timeout S              seconds before a request counts as timed out (default ${HTTP_DEFAULTS.timeout})
  --progress MODE          auto | bar | lines | none (default auto)
  --strict                 exit 1 when a contender answers wrongly or every run of it fails
  --micro-time MS          sampling time per micro task (default ${BRIDGE_PROFILES.default.microTime}; quick ${BRIDGE_PROFILES.quick.microTime})
  --micro-only LIST        some of ${SUITE_NAMES.join(',')} (default: all)
  --no-install             accepted for older scripts; the runner never installs wrk
  --out DIR                where results go (default bench/results/<timestamp>)
  -h, --help`;

export function parse(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      only: { type: 'string' },
      quick: { type: 'boolean' },
      duration: { type: 'string' },
      runs: { type: 'string' },
      warmup: { type: 'string' },
      connections: { type: 'string' },
      generator: { type: 'string' },
      'no-install': { type: 'boolean' },
      contenders: { type: 'string' },
      seed: { type: 'string' },
      'native-read': { type: 'string' },
      'micro-time': { type: 'string' },
      'micro-only': { type: 'string' },
      pin: { type: 'string' },
      timeout: { type: 'string' },
      progress: { type: 'string' },
      strict: { type: 'boolean' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.only !== undefined && !['micro', 'http'].includes(values.only)) fail('only', 'micro or http', values.only);
  if (values.progress !== undefined && !['auto', 'bar', 'lines', 'none'].includes(values.progress))
    fail('progress', 'auto, bar, lines or none', values.progress);
  const profile = values.quick ? 'quick' : 'default';
  const base = BRIDGE_PROFILES[profile];
  const http = {
    profile,
    runs: number('runs', values.runs, { integer: true, min: 1 }) ?? base.runs,
    duration: number('duration', values.duration, { above: true }) ?? base.duration,
    warmup: number('warmup', values.warmup) ?? base.warmup,
    connections: number('connections', values.connections, { integer: true, min: 1 }) ?? HTTP_DEFAULTS.connections,
    timeout: number('timeout', values.timeout, { integer: true, min: 1 }) ?? HTTP_DEFAULTS.timeout,
    contenders: list('contenders', values.contenders, CONTENDER_NAMES) ?? CONTENDER_NAMES,
    nativeRead: values['native-read'] ?? HTTP_DEFAULTS.nativeRead,
    progress: values.progress ?? HTTP_DEFAULTS.progress,
    ...loadFlags(values),
  };
  const seed = number('seed', values.seed, { integer: true });
  if (seed !== undefined) http.seed = seed;
  const micro = { time: number('micro-time', values['micro-time'], { above: true }) ?? base.microTime, warmupTime: base.microWarmup };
  if (values['micro-only'] !== undefined) micro.suites = pickSuites(values['micro-only']);
  return { help: values.help === true, only: values.only, strict: values.strict === true, http, micro, out: values.out };
}

/** `log` takes progress lines (default: stderr), `print` the markdown (default: stdout). */
export async function main(
  argv = process.argv.slice(2),
  { log = (line) => process.stderr.write(`${line}\n`), print = (text) => process.stdout.write(text) } = {},
) {
  const args = parse(argv);
  if (args.help) return void console.log(HELP);
  const started = new Date();
  const dir = args.out ? userPath(args.out) : join(RESULTS, started.toISOString().replace(/[:.]/g, '-'));
  const out = { dir };

  if (args.only !== 'http') {
    const system = systemInfo();
    const micro = { started: started.toISOString(), system, ...(await runMicro(args.micro, log)) };
    const markdown = `# Switchyard micro-benchmarks, ${micro.started}\n\nMachine: ${system.cores} cores (${system.cpuModel}), Node ${system.node}; load average at start ${system.loadavgStart.join(' ')}.\n\n${microMarkdown(micro)}\n`;
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'micro.json'), `${JSON.stringify(micro, null, 2)}\n`);
    writeFileSync(join(dir, 'micro.md'), markdown);
    print(`\n${markdown}`);
    out.micro = micro;
  }
  if (args.only !== 'micro') {
    out.http = await runReactorHttp(args.http, log);
    finishReports(out.http, { out: dir, strict: args.strict, command: 'bench:http', print });
  } else log(`bench:micro: results in ${dir}/micro.{json,md}`);
  return out;
}

await runAsScript(import.meta.url, main, HELP, 'bench:bridge');
