/** The CLI's flags: parsed, checked, and turned into engine options. Errors name the flag and what it accepts. */
import { GENERATORS, MODELS } from '@switchyard/bench';
import { reusePortMissing } from '@switchyard/threads';

/** Every model this Node can run: threads only where it shares a port among listeners (22.12 and later). */
const RUNNABLE = MODELS.filter((model) => model !== 'threads' || !reusePortMissing());
import { fail, list, number, parseRunFlags } from '../cli-kit.mjs';
import { ISOLATION_NAMES } from './isolation.mjs';
import { PROFILES } from './profiles.mjs';
import { DEMO_SCENARIO_NAMES, SCENARIO_GROUPS, SCENARIO_NAMES } from './scenarios.mjs';

/** The grid's cell names as a pattern, rather than all of them. */
const GRID = 'isolation-<js|native>-<1|5|20|100>ms-c<16|256>';
const SCENARIOS_SHOWN = [...DEMO_SCENARIO_NAMES, GRID, 'overload', ...Object.keys(SCENARIO_GROUPS)];

export const HELP = `Usage: pnpm bench [options]      (from bench/: node src/matrix/cli.mjs [options])

Runs scenarios x models on the demo app and writes bench/results/<timestamp>/
{results.json, results.md, report.html}.

  --quick                  every demo scenario, one isolation cell, every model once, briefly (about a minute): checks the pipeline
  --scenarios LIST         some of ${DEMO_SCENARIO_NAMES.join(', ')} (the default)
                           and ${GRID};
                           io = io-100,io-1000; isolation = the whole grid, ${ISOLATION_NAMES.length} cells (about 22 min);
                           overload = 2,000 connections on a 20 ms CPU route, the runner's /readyz probed on its
                           metrics port, each model with its overload limits off and on (-limited contenders)
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

export function parseFlags(argv) {
  const { values, flags, base } = parseRunFlags(argv, PROFILES, { idle: { type: 'string' }, fresh: { type: 'string' }, 'no-classic': { type: 'boolean' } });
  if (values.generator !== undefined && !GENERATORS.includes(values.generator)) fail('generator', GENERATORS.join(' or '), values.generator);
  if (values.fresh !== undefined && !['round', 'run'].includes(values.fresh)) fail('fresh', 'round or run', values.fresh);
  const generator = values.generator ?? 'autocannon';
  const { duration, warmup } = flags;
  if (generator === 'wrk' && (!Number.isInteger(duration) || !Number.isInteger(warmup))) {
    fail(Number.isInteger(duration) ? 'warmup' : 'duration', 'whole seconds with --generator wrk', Number.isInteger(duration) ? warmup : duration);
  }
  return {
    ...flags,
    scenarios: list('scenarios', values.scenarios, SCENARIO_NAMES, SCENARIO_GROUPS, SCENARIOS_SHOWN) ?? base.scenarios,
    models: list('models', values.models, MODELS) ?? [...RUNNABLE],
    generator,
    idle: number('idle', values.idle, { integer: true, min: 1 }) ?? base.idle,
    fresh: values.fresh ?? 'round',
    classic: values['no-classic'] !== true,
  };
}
