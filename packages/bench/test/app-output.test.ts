/**
 * What `switchyard bench` prints, beyond the figures: progress lines that
 * name a route as the user wrote it (`/` included), and the note under the
 * table on how its ratios pair the rounds.
 */
import { describe, expect, it } from 'vitest';
import { appReport, benchApp, recommend, type BenchResult, type ModelResult, type ScenarioResult } from '@switchyard/bench';
import { APP, quietLog } from './helpers.js';

describe('progress lines', () => {
  it('name the route `/` as `GET /`, not by its scenario slug', async () => {
    // The fixture app answers `/` with 404, so the check fails before any load is sent: nothing is timed.
    const log = quietLog();
    const run = await benchApp({ app: APP, routes: ['/'], models: ['reactor'], runs: 1, warmup: 0, duration: 0.2, progress: 'lines', log: log.log });
    expect(run.result.scenarios[0]!.name).toBe('root');
    const text = log.lines.join('\n');
    expect(text).toMatch(/^\[1\/1, [^\]]*\] GET \/ · reactor · run 1\/1$/m);
    expect(text).toMatch(/^ {2}GET \/ reactor: WRONG ANSWER, not timed: /m);
    expect(text).not.toMatch(/^(\[[^\]]*\] | {2})root /m);
  }, 60_000);
});

/** A model's row with req/s per round, and the paired ratio to the reference the engine computed. */
function entry(model: string, rps: number[], ratio: number): ModelResult {
  const sorted = [...rps].sort((a, b) => a - b);
  return {
    model: model as ModelResult['model'],
    status: 'ok',
    problems: [],
    logs: [],
    samples: [],
    errorRate: 0,
    ratio: { rps: ratio, rpsMin: ratio, rpsMax: ratio, p99: 1, cpu: 1, peakRss: 1 },
    summary: {
      rps: sorted[Math.floor(sorted.length / 2)]!,
      rpsMin: sorted[0]!,
      rpsMax: sorted.at(-1)!,
      spread: 0.05,
      p50Ms: 1,
      p99Ms: 2,
      maxMs: 3,
      requests: 30_000,
      errors: 0,
      non2xx: 0,
      timeouts: 0,
      cpuUsPerReq: 100,
      serverCores: 1,
      peakRssBytes: 1,
    },
  };
}

function report(runs: number): string {
  // pool's median (10,226) is barely above reactor's (10,211), yet its median paired ratio is 1.09: its rounds beat the reactor run beside them.
  const hello: ScenarioResult = {
    name: 'hello',
    title: 'GET /hello',
    description: '',
    kind: 'load',
    request: { method: 'GET', path: '/hello', bodyBytes: 0 },
    connections: 100,
    baseline: 'reactor',
    tiedWithBest: [],
    models: { reactor: entry('reactor', [10_211, 9_300, 11_100], 1), pool: entry('pool', [10_226, 10_150, 12_000], 1.09) },
  };
  const result = {
    settings: { runs, models: ['reactor', 'pool'], durationS: 3, warmupS: 1 },
    generator: { version: 'autocannon 8' },
    system: { cores: 2, cpuModel: 'a CPU', node: 'v20' },
    scenarios: [hello],
  } as unknown as BenchResult;
  return appReport('app.js', { result, recommendation: recommend(result) });
}

describe('the printed report', () => {
  it('says under the table that each ratio pairs a model with the reference in the same round', () => {
    const text = report(3);
    expect(text).toMatch(/^\| +\| pool +\| +10,226 ±5% \| +1\.09 \|/m);
    const lines = text.split('\n');
    const note = lines.findIndex((line) => line.startsWith('× reactor: '));
    expect(lines.slice(note, note + 2)).toEqual([
      "× reactor: each round, a model's req/s over that of the reactor run in the same round (a round runs each route's models",
      'one after another, in a random order); the median over 3 rounds. Not the quotient of the two req/s in the table, each a median of its own.',
    ]);
    // Apart from the table, or markdown would read it as one more row.
    expect(lines[note - 1]).toBe('');
    expect(lines[note - 2]).toMatch(/^\|/);
  });

  it('says nothing of pairing after one round, where the ratio is the quotient of the two req/s', () => {
    expect(report(1)).not.toContain('× reactor:');
  });
});
