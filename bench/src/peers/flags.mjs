/** `pnpm bench:peers` flags, checked, with the profiles' defaults. Errors name the flag and what it accepts. */
import { GENERATOR_CHOICES, list, loadFlags, number, parseRunFlags } from '../cli-kit.mjs';
import { CONTENDER_GROUPS, CONTENDER_NAMES, DEFAULT_CONTENDERS } from './contenders.mjs';
import { DEFAULT_PEER_SCENARIOS, IDLE_CONNECTIONS, PEER_SCENARIO_NAMES } from './scenarios.mjs';

/**
 * `quick` runs everything once for a second and measures nothing: it proves
 * the suite end to end. The default is the measurement: 5 rounds.
 */
export const PEER_PROFILES = {
  default: { runs: 5, duration: 3, warmup: 1, idle: IDLE_CONNECTIONS },
  quick: { runs: 1, duration: 1, warmup: 0, idle: 1_000 },
};

export const PEERS_HELP = `Usage: pnpm bench:peers [options]      (from bench/: node src/peers/cli.mjs [options])

The same apps on raw node:http, the Switchyard reactor, srvx, @hono/node-server and
fastify, each figure as req/s over raw node:http's in the same round; writes
bench/results/<timestamp>/{results.json, results.md, report.html}.

  --quick                every scenario and contender once, for 1 s (about a minute): checks the suite, measures nothing
  --scenarios LIST       some of ${PEER_SCENARIO_NAMES.join(', ')} (default: all but idle)
  --idle N               connections the idle scenario holds (default ${PEER_PROFILES.default.idle}; quick ${PEER_PROFILES.quick.idle})
  --models LIST          contenders, some of ${CONTENDER_NAMES.join(', ')},
                         or the groups default (${DEFAULT_CONTENDERS.length}), multicore (pool, cluster, node-cluster, piscina: hello, json and idle only),
                         platform (reactor-global and reactor-hono with fast globals off),
                         cli (the reactor as switchyard serve runs it: supervised, stray errors logged), all;
                         raw always runs (default: default)
  --runs N               rounds, >= 1; each figure is the median (default ${PEER_PROFILES.default.runs}; quick ${PEER_PROFILES.quick.runs})
  --duration S           seconds per timed run (default ${PEER_PROFILES.default.duration}; quick ${PEER_PROFILES.quick.duration})
  --warmup S             seconds of discarded load before each (default ${PEER_PROFILES.default.warmup}; quick ${PEER_PROFILES.quick.warmup})
  --generator NAME       ${GENERATOR_CHOICES.join(' | ')} (default auto: wrk when installed, else autocannon)
  --pin MODE             auto | on | off: servers on CPU 0, the generator on CPU 1, with taskset (default auto: when taskset and 2 CPUs are there)
  --workers N            threads or processes of the multicore contenders (default: one per core)
  --timeout S            seconds before a request counts as timed out (default 10)
  --seed N               seed of the shuffled order (default random; recorded)
  --out DIR              where the reports go (default bench/results/<timestamp>)
  --progress MODE        auto | bar | lines | none (default auto)
  --strict               exit 1 when a contender answers wrongly or every run of it fails
  --list                 print the scenarios and contenders, and exit
  -h, --help`;

export function parsePeerFlags(argv) {
  const { values, flags, base } = parseRunFlags(argv, PEER_PROFILES, { pin: { type: 'string' }, idle: { type: 'string' } });
  return {
    ...flags,
    ...loadFlags(values),
    idle: number('idle', values.idle, { integer: true, min: 1 }) ?? base.idle,
    scenarios: list('scenarios', values.scenarios, PEER_SCENARIO_NAMES) ?? [...DEFAULT_PEER_SCENARIOS],
    models: list('models', values.models, CONTENDER_NAMES, CONTENDER_GROUPS) ?? [...DEFAULT_CONTENDERS],
  };
}
