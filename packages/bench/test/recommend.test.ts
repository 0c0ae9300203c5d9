/**
 * The recommendation and the blocking flag as decisions over figures:
 * hand-written results, so each rule is shown on its own.
 */
import { describe, expect, it } from 'vitest';
import { recommend, type BenchResult, type ModelResult, type ScenarioResult } from '@switchyard/bench';

interface Figures {
  /** req/s over reactor's, every round: [min, median, max]. */
  ratio: [number, number, number];
  cpuMs?: number;
  probeMs?: number;
  errorRate?: number;
}

function entry(model: string, f: Figures): ModelResult {
  const [rpsMin, rps, rpsMax] = f.ratio.map((r) => r * 1000) as [number, number, number];
  return {
    model: model as ModelResult['model'],
    status: 'ok',
    problems: [],
    logs: [],
    samples: [],
    errorRate: f.errorRate ?? 0,
    ratio: { rps: f.ratio[1], rpsMin: f.ratio[0], rpsMax: f.ratio[2], p99: 1, cpu: 1, peakRss: 1 },
    summary: {
      rps,
      rpsMin,
      rpsMax,
      spread: 0,
      p50Ms: 1,
      p99Ms: 2,
      maxMs: 3,
      requests: 3000,
      errors: 0,
      non2xx: 0,
      timeouts: 0,
      cpuUsPerReq: (f.cpuMs ?? 0.1) * 1000,
      serverCores: 1,
      peakRssBytes: 1,
      ...(f.probeMs !== undefined && { probe: { requests: 100, errors: 0, p50Ms: f.probeMs / 2, p99Ms: f.probeMs, maxMs: f.probeMs } }),
    },
  };
}

function route(path: string, models: Record<string, Figures>, probe = path !== '/hello'): ScenarioResult {
  return {
    name: path.replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, ''),
    title: `GET ${path}`,
    description: '',
    kind: 'load',
    request: { method: 'GET', path, bodyBytes: 0 },
    connections: 100,
    ...(probe && { probe: { method: 'GET', path: '/hello', everyMs: 10 } }),
    baseline: 'reactor',
    tiedWithBest: [],
    models: Object.fromEntries(Object.entries(models).map(([model, f]) => [model, entry(model, f)])),
  };
}

function result(scenarios: ScenarioResult[], runs = 3): BenchResult {
  return { settings: { runs, models: ['reactor', 'pool', 'cluster'] }, scenarios } as unknown as BenchResult;
}

const hello = route('/hello', {
  reactor: { ratio: [1, 1, 1] },
  pool: { ratio: [0.55, 0.6, 0.65] },
  cluster: { ratio: [1.0, 1.1, 1.3] },
});

describe('recommend', () => {
  it('beside a blocking route, picks the model that keeps other routes fast (both are faster: the lower probe p99 decides)', () => {
    const cpu = route('/report', {
      reactor: { ratio: [1, 1, 1], cpuMs: 38, probeMs: 1900 },
      pool: { ratio: [1.7, 1.8, 1.9], cpuMs: 39, probeMs: 9 },
      cluster: { ratio: [1.7, 1.9, 2], cpuMs: 38, probeMs: 950 },
    });
    const r = recommend(result([hello, cpu]));
    expect(r.model).toBe('pool');
    expect(r.clear).toBe(true);
    expect(r.reason).toBe(
      'pool: GET /report spends 38.00 ms on the CPU per request; under reactor, p99 of GET /hello grows to 1900 ms while it runs (pool: 9.00 ms, cluster: 950 ms); ' +
        "pool serves it at 1.80× reactor's req/s (1.70–1.90× over 3 rounds); the price: GET /hello at 0.60× reactor's req/s.",
    );
    expect(r.warnings).toEqual([
      expect.stringMatching(
        /^GET \/report blocks the event loop: 38\.00 ms of CPU per request under reactor \(threshold 10 ms\); beside it, p99 of GET \/hello was 1900 ms\./,
      ),
    ]);
    expect(r.routes.map((f) => [f.route, f.blocking])).toEqual([
      ['GET /hello', false],
      ['GET /report', true],
    ]);
  });

  it('when both help beside a blocking route and their probes are close, the one faster on more routes wins', () => {
    const fast = route('/hello', { reactor: { ratio: [1, 1, 1] }, pool: { ratio: [1.25, 1.3, 1.4] }, cluster: { ratio: [0.9, 1.05, 1.2] } });
    const cpu = route('/report', {
      reactor: { ratio: [1, 1, 1], cpuMs: 21, probeMs: 1150 },
      pool: { ratio: [2.4, 2.5, 2.6], probeMs: 760 },
      cluster: { ratio: [2.2, 2.3, 2.5], probeMs: 530 },
    });
    const r = recommend(result([fast, cpu]));
    expect(r.model).toBe('pool');
    expect(r.reason).toBe(
      'pool: GET /report spends 21.00 ms on the CPU per request; under reactor, p99 of GET /hello grows to 1150 ms while it runs (pool: 760 ms, cluster: 530 ms); ' +
        "pool serves it at 2.50× reactor's req/s (2.40–2.60× over 3 rounds); it is also clearly faster on GET /hello (1.30×).",
    );
  });

  it('stays on reactor, saying so, when no model wins clearly', () => {
    const io = route('/io', { reactor: { ratio: [1, 1, 1] }, pool: { ratio: [0.7, 0.8, 0.9] }, cluster: { ratio: [0.9, 1.15, 1.4] } });
    const r = recommend(result([hello, io]));
    expect(r.model).toBe('reactor');
    expect(r.clear).toBe(false);
    expect(r.reason).toMatch(/^reactor: no model wins clearly; stay on reactor, the simplest \(the nearest: cluster at 1\.15× reactor's req\/s on GET \/io/);
    expect(r.warnings).toEqual([]);
  });

  it('needs every round above the reference, not just the median', () => {
    const io = route('/io', { reactor: { ratio: [1, 1, 1] }, cluster: { ratio: [0.95, 1.5, 1.6] } });
    expect(recommend(result([io])).model).toBe('reactor');
    const steady = route('/io', { reactor: { ratio: [1, 1, 1] }, cluster: { ratio: [1.3, 1.5, 1.6] } });
    expect(recommend(result([steady])).reason).toBe("cluster: it serves GET /io at 1.50× reactor's req/s (1.30–1.60× over 3 rounds).");
  });

  it('flags a blocking route even when no model helps, and says one round is not enough', () => {
    const cpu = route('/report', { reactor: { ratio: [1, 1, 1], cpuMs: 25, probeMs: 800 }, pool: { ratio: [1, 1, 1], probeMs: 790 } });
    const r = recommend(result([cpu], 1));
    expect(r.model).toBe('reactor');
    expect(r.warnings[0]).toMatch(/^GET \/report blocks the event loop: 25\.00 ms/);
    expect(r.reason).toContain('One round only');
  });

  it('never advises a model that fails requests on a route the reference serves', () => {
    const io = route('/io', { reactor: { ratio: [1, 1, 1] }, cluster: { ratio: [2, 2, 2], errorRate: 0.2 } });
    expect(recommend(result([io])).model).toBe('reactor');
  });

  it('reports a route no model could serve', () => {
    const broken = route('/broken', { reactor: { ratio: [1, 1, 1] } });
    const failed = { ...broken.models.reactor!, status: 'failed' as const, problems: ['status 500, expected 200'] };
    delete failed.summary;
    const r = recommend(result([hello, { ...broken, models: { reactor: failed } }]));
    expect(r.routes[1]).toMatchObject({ status: 'failed', problems: ['status 500, expected 200'] });
    expect(r.warnings).toEqual(['GET /broken could not be measured: status 500, expected 200']);
  });
});
