/**
 * A probe on the runner's metrics port: the server starts with a port of
 * its own, and the probe's requests go there. The fixture app answers
 * `/readyz` with 404, so a probe sent to the app's port would count only
 * errors.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { runBench, validateResult, type BenchResult } from '@switchyard/bench';
import { APP, quietLog } from './helpers.js';

let result: BenchResult;
const log = quietLog();

beforeAll(async () => {
  result = await runBench({
    app: APP,
    models: ['reactor', 'pool'],
    workers: 1,
    scenarios: [
      {
        name: 'readiness',
        request: { path: '/hello' },
        connections: 4,
        probe: { request: { path: '/readyz' }, everyMs: 20, openLoop: true, on: 'metrics' },
      },
    ],
    runs: 1,
    duration: 0.5,
    warmup: 0,
    progress: 'none',
    log: log.log,
  });
}, 60_000);

describe('a probe on the metrics port', () => {
  it("reaches the runner's readiness on every model, and the result says where it went", () => {
    expect(validateResult(result)).toEqual([]);
    const scenario = result.scenarios[0]!;
    expect(scenario.probe).toMatchObject({ path: '/readyz', on: 'metrics' });
    for (const model of ['reactor', 'pool'] as const) {
      const entry = scenario.models[model]!;
      expect(entry.status, entry.problems.join('; ')).toBe('ok');
      const probe = entry.summary!.probe!;
      expect(probe.requests).toBeGreaterThan(0);
      expect(probe.errors).toBe(0);
    }
  });
});
