/** `pnpm bench:cluster` flags, checked, with the profiles' defaults. Errors name the flag and what it accepts. */
import { fail, GENERATOR_CHOICES, list, loadFlags, number, parseRunFlags } from '../cli-kit.mjs';
import { CLUSTER_SCENARIO_NAMES, CONTENDER_NAMES } from './lineup.mjs';

/** `quick` runs everything once for a second and measures nothing. The default: 3 rounds of 5 s after 2 s of warm-up. */
export const CLUSTER_PROFILES = {
  default: { runs: 3, duration: 5, warmup: 2 },
  quick: { runs: 1, duration: 1, warmup: 0 },
};

export const CLUSTER_HELP = `Usage: pnpm bench:cluster [options]      (from bench/: node src/cluster/run.mjs [options])

The same app under raw node:http (1 process), raw node:cluster (N), the reactor (1) and
the cluster backend (N), in one run: hello world and a ~2 ms CPU route, each figure as
req/s over raw node:http's and over the reactor's in the same round, with the peak RSS
of each server's processes summed. Writes bench/results/<timestamp>/{results.json,
results.md, report.html}.

  --quick                every scenario and contender once, for 1 s: checks the runner, measures nothing
  --scenarios LIST       some of ${CLUSTER_SCENARIO_NAMES.join(', ')} (default: both)
  --models LIST          some of ${CONTENDER_NAMES.join(', ')}; raw always runs (default: all)
  --processes N          processes of cluster and node:cluster (default 2; --workers is the same)
  --connections N        connections of the load (default 32)
  --cpu-ms MS            the CPU route's work, calibrated on this machine (default 2)
  --runs N               rounds, >= 1; each figure is the median (default ${CLUSTER_PROFILES.default.runs}; quick ${CLUSTER_PROFILES.quick.runs})
  --duration S           seconds per timed run (default ${CLUSTER_PROFILES.default.duration}; quick ${CLUSTER_PROFILES.quick.duration})
  --warmup S             seconds of discarded load before each (default ${CLUSTER_PROFILES.default.warmup}; quick ${CLUSTER_PROFILES.quick.warmup})
  --generator NAME       ${GENERATOR_CHOICES.join(' | ')} (default auto: wrk -t1 when installed, else autocannon)
  --pin MODE             auto | on | off: servers on CPU 0, the generator on CPU 1 (default off: processes need the cores)
  --timeout S            seconds before a request counts as timed out (default 10)
  --seed N               seed of the shuffled order (default random; recorded)
  --out DIR              where the reports go (default bench/results/<timestamp>); a FILE.json is taken as --json FILE
  --json FILE            also write results.json to FILE
  --progress MODE        auto | bar | lines | none (default auto)
  --strict               exit 1 when a contender answers wrongly or every run of it fails
  --list                 print the scenarios and contenders, and exit
  -h, --help`;

export function parseClusterFlags(argv) {
  const extra = {
    processes: { type: 'string' },
    connections: { type: 'string' },
    'cpu-ms': { type: 'string' },
    // The older runner's wrk threads: the engine runs wrk with one.
    threads: { type: 'string' },
    json: { type: 'string' },
    pin: { type: 'string' },
  };
  const { values, flags } = parseRunFlags(argv, CLUSTER_PROFILES, extra);
  if (values.threads !== undefined && values.threads !== '1') fail('threads', '1 (the engine runs wrk with one thread)', values.threads);
  const processes = number('processes', values.processes, { integer: true, min: 1 });
  if (processes !== undefined && flags.workers !== undefined && processes !== flags.workers)
    fail('processes', `the same as --workers (${flags.workers})`, values.processes);
  // --out FILE.json: the older runner's JSON file.
  const jsonOut = flags.out?.endsWith('.json');
  return {
    ...flags,
    ...loadFlags(values, { pin: 'off' }),
    out: jsonOut ? undefined : flags.out,
    json: values.json ?? (jsonOut ? flags.out : undefined),
    processes: processes ?? flags.workers ?? 2,
    connections: number('connections', values.connections, { integer: true, min: 1 }) ?? 32,
    cpuMs: number('cpu-ms', values['cpu-ms'], { above: true }) ?? 2,
    scenarios: list('scenarios', values.scenarios, CLUSTER_SCENARIO_NAMES) ?? [...CLUSTER_SCENARIO_NAMES],
    models: list('models', values.models, CONTENDER_NAMES) ?? [...CONTENDER_NAMES],
  };
}
