/**
 * The bench CLI: the tinybench micro suite (bridge, pool dispatch, channel
 * fan-out, headers), then the reactor's HTTP
 * ratios against raw node:http. Prints markdown; writes results.json and
 * results.md under bench/results/<timestamp>/ (or --out).
 *
 *   node src/run.mjs [--only micro|http] [--duration 3] [--runs 8] [--warmup 2]
 *                    [--connections 100] [--generator auto|wrk|autocannon]
 *                    [--contenders a,b] [--seed N] [--native-read reader|arraybuffer]
 *                    [--micro-time 500] [--micro-only LIST] [--no-install] [--out DIR]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, freemem, loadavg, totalmem } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { HTTP_DEFAULTS, httpMarkdown, runReactorHttp } from './http/reactor.mjs';
import { MICRO_DEFAULTS, microMarkdown, pickSuites, runMicro, SUITE_NAMES } from './micro/index.mjs';

const BENCH_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const HELP = `Usage: node src/run.mjs [options]

  --only micro|http        run one part (default: both)
  --duration SECONDS       per timed HTTP run (default ${HTTP_DEFAULTS.duration})
  --runs N                 rounds: timed runs per contender, each in a fresh process, >= 3 (default ${HTTP_DEFAULTS.runs})
  --warmup SECONDS         discarded warm-up before each timed run (default ${HTTP_DEFAULTS.warmup})
  --connections N          keep-alive connections (default ${HTTP_DEFAULTS.connections})
  --generator NAME         auto | wrk | autocannon (default auto: wrk, installed with
                           apt-get when missing and running as root, else autocannon)
  --no-install             never apt-get install wrk
  --contenders LIST        comma-separated subset of raw-fast,reactor-fast,raw-native,reactor-native
  --seed N                 seed of the random run order (default: random, recorded)
  --native-read HOW        how raw-native reads its body: reader | arraybuffer (default reader)
  --pin auto|on|off        server on core 0, generator on core 1 (default auto: when taskset exists and cores >= 2)
  --micro-time MS          sampling time per micro task (default ${MICRO_DEFAULTS.time})
  --micro-only LIST        some of ${SUITE_NAMES.join(',')} (default: all)
  --out DIR                where results go (default results/<timestamp>)
  -h, --help`;

function number(name, value) {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new TypeError(`--${name} must be a number (got ${JSON.stringify(value)})`);
  return n;
}

export function parse(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      only: { type: 'string' },
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
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.only !== undefined && !['micro', 'http'].includes(values.only)) {
    throw new TypeError(`--only must be micro or http (got ${JSON.stringify(values.only)})`);
  }
  const http = {};
  const set = (key, value) => value !== undefined && (http[key] = value);
  set('duration', number('duration', values.duration));
  set('runs', number('runs', values.runs));
  set('warmup', number('warmup', values.warmup));
  set('connections', number('connections', values.connections));
  set('generator', values.generator);
  set('seed', number('seed', values.seed));
  set('nativeRead', values['native-read']);
  set('pin', values.pin);
  set('contenders', values.contenders?.split(',').map((s) => s.trim()).filter(Boolean));
  if (values['no-install']) http.install = false;
  const micro = {};
  if (values['micro-time'] !== undefined) micro.time = number('micro-time', values['micro-time']);
  if (values['micro-only'] !== undefined) micro.suites = pickSuites(values['micro-only']);
  return { help: values.help, only: values.only, http, micro, out: values.out };
}

function machine() {
  const list = cpus();
  return {
    node: process.version,
    v8: process.versions.v8,
    platform: `${process.platform} ${process.arch}`,
    cpus: list.length,
    cpuModel: list[0]?.model.trim(),
    memory: `${(totalmem() / 2 ** 30).toFixed(1)} GiB (${(freemem() / 2 ** 30).toFixed(1)} GiB free)`,
    loadavg: loadavg().map((n) => Number(n.toFixed(2))),
  };
}

export async function main(argv = process.argv.slice(2)) {
  const args = parse(argv);
  if (args.help) {
    console.log(HELP);
    return;
  }
  const started = new Date();
  const result = { started: started.toISOString(), machine: machine() };
  const m = result.machine;
  console.error(`bench: Node ${m.node}, ${m.cpus} x ${m.cpuModel}, load ${m.loadavg.join(' ')}`);

  const sections = [`# Switchyard bench, ${started.toISOString()}`, '', `Machine: ${m.cpus} cores (${m.cpuModel}), ${m.memory}, ${m.platform}, Node ${m.node}; load average at start ${m.loadavg.join(' ')}.`];
  if (args.only !== 'http') {
    result.micro = await runMicro(args.micro);
    sections.push('', '## Micro-benchmarks (tinybench, in-process)', '', microMarkdown(result.micro));
  }
  if (args.only !== 'micro') {
    result.http = await runReactorHttp(args.http);
    sections.push('', '## HTTP: reactor vs raw node:http', '', httpMarkdown(result.http));
  }
  result.finished = new Date().toISOString();
  result.machine.loadavgAtEnd = loadavg().map((n) => Number(n.toFixed(2)));

  const markdown = `${sections.join('\n')}\n`;
  const out = resolve(args.out ?? join(BENCH_ROOT, 'results', started.toISOString().replace(/[:.]/g, '-')));
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'results.json'), `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(join(out, 'results.md'), markdown);
  console.log(`\n${markdown}`);
  console.error(`bench: results in ${relative(process.cwd(), out) || '.'}/results.{json,md}`);
  return result;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    await main();
  } catch (error) {
    console.error(error instanceof TypeError ? `bench: ${error.message}\n\n${HELP}` : error);
    process.exitCode = 1;
  }
}
