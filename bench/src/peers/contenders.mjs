/**
 * The peer suite's contenders: raw node:http (the reference), the
 * Switchyard reactor with each kind of app, and the servers people compare
 * it with. Each is a model or contender of the @switchyard/bench engine.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BENCH_ROOT } from '../matrix/paths.mjs';

const app = (name) => fileURLToPath(new URL(`./apps/${name}.mjs`, import.meta.url));
const server = (name) => fileURLToPath(new URL(`./servers/${name}.mjs`, import.meta.url));

/** The app the engine's own models (reactor, pool, cluster) run, and the raw reference's handler. */
export const FAST_APP = app('fast');
export const RAW_HANDLER = app('raw');
export const HONO_APP = app('hono');

/**
 * Every contender: `model` (an engine model run with the suite's fast app),
 * or `contender` (the engine's ContenderSpec). `multicore` ones use every
 * core and run only hello and the JSON echo (and, but for piscina, the idle
 * scenario when it is named); they join with --models.
 */
export const CONTENDERS = {
  raw: { model: 'raw', note: 'node:http with a hand-written handler: the reference' },
  reactor: { model: 'reactor', note: "@switchyard/reactor, the app returns core's FastResponse" },
  'reactor-global': { contender: { model: 'reactor', app: app('global') }, note: '@switchyard/reactor, the app returns the global Response' },
  'reactor-hono': { contender: { model: 'reactor', app: HONO_APP }, note: '@switchyard/reactor running the Hono app module unchanged' },
  // The two above with the platform's own Request and Response (fastGlobals off): what the fast globals buy.
  'reactor-global-platform': {
    contender: { model: 'reactor', app: app('global'), env: { SWITCHYARD_FAST_GLOBALS: '0' } },
    platform: true,
    note: "@switchyard/reactor, the app returns the global Response, fast globals off (the platform's class)",
  },
  'reactor-hono-platform': {
    contender: { model: 'reactor', app: HONO_APP, env: { SWITCHYARD_FAST_GLOBALS: '0' } },
    platform: true,
    note: "@switchyard/reactor running the Hono app unchanged, fast globals off (the platform's classes)",
  },
  // As `switchyard serve` runs them: under the CLI's supervisor, stray errors logged with their request.
  'reactor-cli': {
    contender: { server: server('switchyard-cli'), options: { app: 'fast' } },
    cli: true,
    note: "the reactor as `switchyard serve` runs it (a supervisor process, unhandledErrors 'log'), the app returns core's FastResponse",
  },
  'reactor-hono-cli': {
    contender: { server: server('switchyard-cli'), options: { app: 'hono' } },
    cli: true,
    note: "the reactor as `switchyard serve` runs it (a supervisor process, unhandledErrors 'log'), running the Hono app unchanged",
  },
  srvx: { contender: { server: server('srvx'), options: { app: 'srvx-fast' } }, note: "srvx, the app returns srvx's FastResponse" },
  'srvx-global': { contender: { server: server('srvx'), options: { app: 'global' } }, note: 'srvx, the app returns the global Response' },
  'hono-node': { contender: { server: server('hono-node') }, note: '@hono/node-server with its defaults, running the Hono app' },
  fastify: { contender: { server: server('fastify') }, note: 'fastify with its defaults, the same routes as fastify routes and hooks' },
  pool: { model: 'pool', multicore: true, note: '@switchyard/pool, the app (FastResponse) on worker threads' },
  cluster: { model: 'cluster', multicore: true, note: '@switchyard/cluster, the app (FastResponse) in one process per worker' },
  'node-cluster': { contender: { server: server('node-cluster') }, multicore: true, note: 'node:cluster, the raw handler in one process per worker' },
  piscina: { contender: { server: server('piscina') }, multicore: true, note: 'node:http on the main thread, each request answered on a piscina thread' },
};

export const CONTENDER_NAMES = Object.keys(CONTENDERS);
export const DEFAULT_CONTENDERS = CONTENDER_NAMES.filter((name) => !CONTENDERS[name].multicore && !CONTENDERS[name].platform && !CONTENDERS[name].cli);
export const MULTICORE_CONTENDERS = CONTENDER_NAMES.filter((name) => CONTENDERS[name].multicore);
export const PLATFORM_CONTENDERS = CONTENDER_NAMES.filter((name) => CONTENDERS[name].platform);
export const CLI_CONTENDERS = CONTENDER_NAMES.filter((name) => CONTENDERS[name].cli);
/** Names --models takes for several at once. */
export const CONTENDER_GROUPS = {
  default: DEFAULT_CONTENDERS,
  multicore: MULTICORE_CONTENDERS,
  platform: PLATFORM_CONTENDERS,
  cli: CLI_CONTENDERS,
  all: CONTENDER_NAMES,
};

/** The engine's options for `names` (raw always among them: it is the reference). */
export function engineLineup(names, { workers } = {}) {
  const chosen = CONTENDER_NAMES.filter((name) => name === 'raw' || names.includes(name));
  const models = chosen.filter((name) => CONTENDERS[name].model && !CONTENDERS[name].contender);
  const contenders = Object.fromEntries(
    chosen
      .filter((name) => CONTENDERS[name].contender)
      .map((name) => {
        const { contender, note, multicore } = CONTENDERS[name];
        const spec = { ...contender, note };
        // Threads or processes for the suite's own multi-core servers, as --workers gives the engine's.
        if (multicore && workers !== undefined) spec.options = { ...spec.options, workers };
        return [name, spec];
      }),
  );
  const modelNotes = Object.fromEntries(models.map((name) => [name, CONTENDERS[name].note]));
  return { models, modelNotes, contenders, names: chosen };
}

/** The peers' versions as installed for the suite (bench/package.json pins them exactly; their exports maps hide package.json). */
export function peerVersions() {
  const version = (name) => JSON.parse(readFileSync(join(BENCH_ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;
  return Object.fromEntries(['srvx', 'hono', '@hono/node-server', 'fastify', 'piscina'].map((name) => [name, version(name)]));
}
