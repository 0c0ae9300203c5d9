/** `pnpm bench:pool` flags, checked, with the profiles' defaults. Errors name the flag and what it accepts. */
import { GENERATOR_CHOICES, list, loadFlags, number, parseRunFlags } from '../cli-kit.mjs';
import { CONTENDER_NAMES, POOL_SCENARIO_NAMES } from './lineup.mjs';

/**
 * `quick` runs everything once for a second and measures nothing: it proves
 * the runner end to end. The default is the measurement: 3 rounds of 8 s,
 * after 2 s of warm-up (15 s for the CPU route).
 */
export const POOL_PROFILES = {
  default: { runs: 3, duration: 8, warmup: 2, cpuWarmup: 15 },
  quick: { runs: 1, duration: 1, warmup: 0, cpuWarmup: 0 },
};

export const POOL_HELP = `Usage: pnpm bench:pool [options]      (from bench/: node src/pool/run.mjs [options])

The pool against the reactor and raw node:http, in one run: (a) hello world, each app
with FastResponse and with the global Response, as req/s over raw node:http's in the
same round; (b) ~2 ms of synchronous CPU per request, pool over reactor; (c) the p50 and
p99 of a cheap route probed while (b) runs. Writes bench/results/<timestamp>/{results.json,
results.md, report.html}.

  --quick                every scenario and contender once, for 1 s: checks the runner, measures nothing
  --scenarios LIST       some of ${POOL_SCENARIO_NAMES.join(', ')} (default: both)
  --models LIST          some of ${CONTENDER_NAMES.join(', ')}; raw always runs, (b) and (c) run reactor and pool (default: all)
  --runs N, --rounds N   rounds, >= 1; each figure is the median (default ${POOL_PROFILES.default.runs}; quick ${POOL_PROFILES.quick.runs})
  --duration S           seconds per timed run (default ${POOL_PROFILES.default.duration}; quick ${POOL_PROFILES.quick.duration})
  --warmup S             seconds of discarded load before each hello run (default ${POOL_PROFILES.default.warmup}; quick ${POOL_PROFILES.quick.warmup})
  --cpu-warmup S         the same before each CPU run (default ${POOL_PROFILES.default.cpuWarmup}; quick ${POOL_PROFILES.quick.cpuWarmup})
  --connections N        connections of the hello load (default 64)
  --cpu-connections N    connections of the CPU load (default 32)
  --cpu-ms MS            the CPU route's work, calibrated on this machine (default 2; BENCH_CPU_ITERATIONS sets iterations instead)
  --quiet                before each timed run, wait (up to 10 min) for the machine to be 90% idle
  --generator NAME       ${GENERATOR_CHOICES.join(' | ')} (default auto: wrk when installed, else autocannon)
  --pin MODE             auto | on | off: servers on CPU 0, the generator on CPU 1 (default off: the pool needs both cores)
  --workers N            pool threads (default: the pool's own default; BENCH_WORKERS too)
  --timeout S            seconds before a request counts as timed out (default 10)
  --seed N               seed of the shuffled order (default random; recorded)
  --out DIR              where the reports go (default bench/results/<timestamp>)
  --json FILE            also write results.json to FILE
  --progress MODE        auto | bar | lines | none (default auto)
  --strict               exit 1 when a contender answers wrongly or every run of it fails
  --list                 print the scenarios and contenders, and exit
  -h, --help`;

export function parsePoolFlags(argv) {
  const extra = {
    rounds: { type: 'string' },
    'cpu-warmup': { type: 'string' },
    connections: { type: 'string' },
    'cpu-connections': { type: 'string' },
    'cpu-ms': { type: 'string' },
    quiet: { type: 'boolean' },
    json: { type: 'string' },
    pin: { type: 'string' },
  };
  // --rounds is the older name of --runs.
  const { values, flags, base } = parseRunFlags(argv, POOL_PROFILES, extra);
  const rounds = number('rounds', values.rounds, { integer: true, min: 1 });
  const workers = flags.workers ?? number('workers', process.env.BENCH_WORKERS, { integer: true, min: 1 });
  return {
    ...flags,
    ...loadFlags(values, { pin: 'off' }),
    runs: values.runs === undefined && rounds !== undefined ? rounds : flags.runs,
    workers,
    cpuWarmup: number('cpu-warmup', values['cpu-warmup']) ?? base.cpuWarmup,
    connections: number('connections', values.connections, { integer: true, min: 1 }) ?? 64,
    cpuConnections: number('cpu-connections', values['cpu-connections'], { integer: true, min: 1 }) ?? 32,
    cpuMs: number('cpu-ms', values['cpu-ms'], { above: true }) ?? 2,
    quiet: values.quiet === true,
    json: values.json,
    scenarios: list('scenarios', values.scenarios, POOL_SCENARIO_NAMES) ?? [...POOL_SCENARIO_NAMES],
    models: list('models', values.models, CONTENDER_NAMES) ?? [...CONTENDER_NAMES],
  };
}
