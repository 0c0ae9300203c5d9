/** The result's frame before any run: every scenario and model, empty. */
import type { ResolvedBenchOptions } from '../options.js';
import type { ClassicResult, ContenderName, ModelResult, ScenarioResult } from '../types.js';
import { PROBE_EVERY_MS } from '../load/probe.js';
import { scenarioModels } from './plan.js';

function emptyModel(model: ContenderName): ModelResult {
  return { model, status: 'ok', problems: [], logs: [], samples: [] };
}

export function emptyScenarios(options: ResolvedBenchOptions): ScenarioResult[] {
  return options.scenarios.map((scenario) => {
    const body = scenario.request.body;
    const models = scenarioModels(options, scenario);
    return {
      name: scenario.name,
      title: scenario.title ?? scenario.name,
      description: scenario.description ?? '',
      kind: scenario.kind ?? 'load',
      request: {
        method: scenario.request.method ?? 'GET',
        path: scenario.request.path,
        bodyBytes: body === undefined ? 0 : typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength,
      },
      connections: scenario.connections ?? 100,
      ...(scenario.kind === 'idle' && { idleConnections: scenario.idle.count ?? options.idleConnections }),
      ...(scenario.probe && {
        probe: {
          method: scenario.probe.request.method ?? 'GET',
          path: scenario.probe.request.path,
          everyMs: scenario.probe.everyMs ?? PROBE_EVERY_MS,
          openLoop: scenario.probe.openLoop === true,
          ...(scenario.probe.on === 'metrics' && { on: 'metrics' as const }),
        },
      }),
      ...(scenario.timeout !== undefined && { timeoutS: scenario.timeout }),
      ...(scenario.warmup !== undefined && { warmupS: scenario.warmup }),
      ...(scenario.isolation && { isolation: { work: scenario.isolation.work, costMs: scenario.isolation.costMs, rpsRatios: {} } }),
      baseline: models.includes(options.baseline) ? options.baseline : models[0]!,
      tiedWithBest: [],
      models: Object.fromEntries(models.map((model) => [model, emptyModel(model)])),
    };
  });
}

/** The classic experiment's frame; `skipped` with the reason when ab is missing. */
export function emptyClassic(options: ResolvedBenchOptions, abVersion: string | undefined): ClassicResult | undefined {
  if (!options.classic) return undefined;
  const { requests, concurrency, path } = options.classic;
  const classic: ClassicResult = {
    status: abVersion ? 'ran' : 'skipped',
    command: `ab -r -n${requests} -c${concurrency} -l <url>${path}`,
    requests,
    concurrency,
    path,
    models: {},
    ...(abVersion ? { version: abVersion } : { reason: 'ab not installed, skipped (install apache2-utils to run it)' }),
  };
  for (const model of options.models) classic.models[model] = { model, status: 'ok', problems: [], samples: [] };
  return classic;
}
