/** The CLI's flags: parsed, checked, and turned into engine options. Errors name the flag and what it accepts. */
import { parseArgs } from 'node:util';
import { GENERATORS, MODELS } from '@switchyard/bench';
import { ISOLATION_NAMES } from './isolation.mjs';
import { PROFILES } from './profiles.mjs';
import { DEMO_SCENARIO_NAMES, SCENARIO_GROUPS, SCENARIO_NAMES } from './scenarios.mjs';

/** The grid's cell names as a pattern, rather than all of them. */
const GRID = 'isolation-<js|native>-<1|5|20|100>ms-c<16|256>';
const SCENARIOS_SHOWN = [...DEMO_SCENARIO_NAMES, GRID, ...Object.keys(SCENARIO_GROUPS)];

export const HELP = `Usage: pnpm bench [options]      (from bench/: node src/matrix/cli.mjs [options])

Runs scenarios x models on the demo app and writes bench/results/<timestamp>/
{results.json, results.md, report.html}.

  --quick                  every demo scenario, one isolation cell, every model once, briefly (about a minute): checks the pipeline
  --scenarios LIST         some of ${DEMO_SCENARIO_NAMES.join(', ')} (the default)
                           and ${GRID};
                           io = io-100,io-1000; isolation = the whole grid, ${ISOLATION_NAMES.length} cells (about 22 min)
  --models LIST            some of ${MODELS.join(', ')}
  --runs N                 timed runs per scenario and model, >= 1 (default ${PROFILES.default.runs}; quick ${PROFILES.quick.runs})
  --duration S             seconds per timed run (default ${PROFILES.default.duration}; quick ${PROFILES.quick.duration})
  --warmup S               seconds of discarded load before each timed run (default ${PROFILES.default.warmup}; quick ${PROFILES.quick.warmup})
  --generator NAME         ${GENERATORS.join(' | ')} (default autocannon; wrk must be installed)
  --idle N                 idle connections in the idle scenario (default ${PROFILES.default.idle}; quick ${PROFILES.quick.idle})
  --workers N              threads (pool) and processes (cluster) (default: the backends' own, one per core)
  --timeout S              seconds before a request counts as timed out (default 10; isolation cells at least 60)
  --fresh round|run        a server process per model per round (default), or per timed run
  --no-classic             skip the Apache Bench experiment
  --seed N                 seed of the random order (default random; recorded)
  --out DIR                where the reports go (default bench/results/<timestamp>)
  --progress MODE          auto | bar | lines | none (default auto: a bar on a terminal)
  --strict                 exit 1 when a model fails its check or every run of it fails
  --list                   print the scenarios and models, and exit
  -h, --help`;

function fail(flag, accepted, got) {
  throw new TypeError(`--${flag} must be ${accepted} (got ${JSON.stringify(got)})`);
}

function number(flag, value, { integer = false, min = 0, above = false } = {}) {
  if (value === undefined) return undefined;
  const n = Number(value);
  const ok = value.trim() !== '' && Number.isFinite(n) && (above ? n > min : n >= min) && (!integer || Number.isInteger(n));
  if (!ok) fail(flag, `${integer ? 'an integer' : 'a number'} ${above ? '>' : '>='} ${min}`, value);
  return n;
}

/** `shown`: how the accepted names read in an error (default: all of them, then the groups). */
function list(flag, value, accepted, groups = {}, shown = [...accepted, ...Object.keys(groups)]) {
  if (value === undefined) return undefined;
  const names = value.split(',').map((s) => s.trim()).filter(Boolean);
  if (names.length === 0) fail(flag, `a comma-separated list of ${shown.join(', ')}`, value);
  const out = [];
  for (const name of names) {
    const expanded = groups[name] ?? [name];
    for (const each of expanded) {
      if (!accepted.includes(each)) fail(flag, `a comma-separated list of ${shown.join(', ')}`, name);
      if (!out.includes(each)) out.push(each);
    }
  }
  // Keep the suite's own order, whatever order the flag used.
  return accepted.filter((name) => out.includes(name));
}

export function parseFlags(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean' },
      scenarios: { type: 'string' },
      models: { type: 'string' },
      runs: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      generator: { type: 'string' },
      idle: { type: 'string' },
      workers: { type: 'string' },
      timeout: { type: 'string' },
      fresh: { type: 'string' },
      'no-classic': { type: 'boolean' },
      seed: { type: 'string' },
      out: { type: 'string' },
      progress: { type: 'string' },
      strict: { type: 'boolean' },
      list: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  const profile = values.quick ? 'quick' : 'default';
  const base = PROFILES[profile];
  if (values.generator !== undefined && !GENERATORS.includes(values.generator)) fail('generator', GENERATORS.join(' or '), values.generator);
  if (values.fresh !== undefined && !['round', 'run'].includes(values.fresh)) fail('fresh', 'round or run', values.fresh);
  if (values.progress !== undefined && !['auto', 'bar', 'lines', 'none'].includes(values.progress)) fail('progress', 'auto, bar, lines or none', values.progress);
  const generator = values.generator ?? 'autocannon';
  const duration = number('duration', values.duration, { above: true }) ?? base.duration;
  const warmup = number('warmup', values.warmup) ?? base.warmup;
  if (generator === 'wrk' && (!Number.isInteger(duration) || !Number.isInteger(warmup))) {
    fail(Number.isInteger(duration) ? 'warmup' : 'duration', 'whole seconds with --generator wrk', Number.isInteger(duration) ? warmup : duration);
  }
  return {
    help: values.help === true,
    list: values.list === true,
    strict: values.strict === true,
    out: values.out,
    profile,
    scenarios: list('scenarios', values.scenarios, SCENARIO_NAMES, SCENARIO_GROUPS, SCENARIOS_SHOWN) ?? base.scenarios,
    models: list('models', values.models, MODELS) ?? [...MODELS],
    runs: number('runs', values.runs, { integer: true, min: 1 }) ?? base.runs,
    duration,
    warmup,
    generator,
    idle: number('idle', values.idle, { integer: true, min: 1 }) ?? base.idle,
    workers: number('workers', values.workers, { integer: true, min: 1 }),
    timeout: number('timeout', values.timeout, { integer: true, min: 1 }) ?? 10,
    fresh: values.fresh ?? 'round',
    classic: values['no-classic'] !== true,
    seed: number('seed', values.seed, { integer: true }),
    progress: values.progress ?? 'auto',
  };
}
