/**
 * `benchApp(options)`: the engine run on a user's app, a scenario per
 * route, with reactor as the reference (an app has no raw handler) and the
 * first route probed beside the others.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { invalidOption, SwitchyardError } from '@switchyard/core';
import { writeReports } from '../report/write.js';
import { runBench } from '../run/index.js';
import { toFileUrl } from '../server/launch.js';
import type { AppModelName, BenchAppOptions, BenchAppResult, BenchOptions } from '../types.js';
import { BLOCKING_MS } from './findings.js';
import { recommend } from './recommend.js';
import { parseRoute, routeScenarios } from './routes.js';

export const DEFAULT_APP_MODELS: readonly AppModelName[] = ['reactor', 'pool', 'cluster'];
/** `quick`: one short round, about a minute for two routes under three models. */
export const kQuickProfile = { runs: 1, warmup: 0.5, duration: 1.5 } as const;

/** The app as a file URL, failing early (before any server starts) when there is no file. */
function appModule(app: string | URL): string {
  const url = toFileUrl(app instanceof URL ? app : app.startsWith('file:') || /^[a-z][a-z0-9+.-]*:/i.test(app) ? app : resolve(app));
  if (url.startsWith('file:') && !existsSync(fileURLToPath(url))) {
    throw new SwitchyardError('ERR_APP_NOT_FOUND', `Invalid option "app": no module at ${fileURLToPath(url)} (from "${String(app)}").`);
  }
  return url;
}

/** The engine's options for `options`. */
export function benchAppOptions(options: BenchAppOptions): BenchOptions & { blockingMs: number } {
  if (options === null || typeof options !== 'object') throw invalidOption('options', 'an object', options);
  const app = appModule(options.app);
  if (!Array.isArray(options.routes) || options.routes.length === 0) throw invalidOption('routes', 'a non-empty array of routes', options.routes);
  const routes = options.routes.map((route) => parseRoute(route));
  const probe = options.probe === false ? undefined : parseRoute(options.probe ?? routes[0]!, 'probe');
  const models = options.models ?? [...DEFAULT_APP_MODELS];
  if (!Array.isArray(models) || !models.includes('reactor') || models.some((m) => (m as string) === 'raw')) {
    throw invalidOption('models', 'an array of "reactor", "pool", "cluster", "sequential" that includes "reactor", the reference', models);
  }
  if (options.blockingMs !== undefined && !(typeof options.blockingMs === 'number' && options.blockingMs > 0)) {
    throw invalidOption('blockingMs', 'a number of milliseconds > 0', options.blockingMs);
  }
  const profile = options.quick ? kQuickProfile : {};
  const pick = <K extends keyof BenchAppOptions>(key: K) => (options[key] === undefined ? {} : { [key]: options[key] });
  return {
    app,
    scenarios: routeScenarios(routes, probe, options.connections),
    models,
    baseline: 'reactor',
    ...profile,
    ...pick('runs'),
    ...pick('duration'),
    ...pick('warmup'),
    ...pick('generator'),
    ...pick('workers'),
    ...pick('timeout'),
    ...pick('seed'),
    ...pick('env'),
    ...pick('progress'),
    ...pick('log'),
    profile: options.quick ? 'quick' : 'default',
    meta: { command: 'switchyard bench', routes: routes.map((r) => `${r.method ?? 'GET'} ${r.path}`) },
    blockingMs: options.blockingMs ?? BLOCKING_MS,
  };
}

/** Runs the comparison on an app and says which model to use; writes the reports when `out` is given. */
export async function benchApp(options: BenchAppOptions): Promise<BenchAppResult> {
  const { blockingMs, ...bench } = benchAppOptions(options);
  const result = await runBench(bench);
  const recommendation = recommend(result, blockingMs);
  if (options.out === undefined) return { result, recommendation };
  const out = resolve(options.out);
  writeReports(result, out);
  return { result, recommendation, out };
}
