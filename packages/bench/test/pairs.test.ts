/**
 * Pairs (ratios beside the baseline's) and a scenario's own warm-up, on a
 * tiny real run against the fixture app and raw handler. Figures are never
 * asserted, only that they exist and land in the reports.
 */
import { describe, expect, it } from 'vitest';
import { markdownReport, resolveBenchOptions, runBench, validateResult, type BenchOptions, type BenchResult } from '@switchyard/bench';
import { APP, quietLog, RAW } from './helpers.js';

const base: BenchOptions = { app: APP, rawHandler: RAW, scenarios: [{ name: 'hello', request: { path: '/hello' } }] };
const fails = (options: Partial<BenchOptions>) => () => resolveBenchOptions({ ...base, ...options } as BenchOptions);

describe('pairs', () => {
  let result: BenchResult;

  it('are measured in every scenario where both ran, paired per round, and reported', async () => {
    const log = quietLog();
    result = await runBench({
      ...base,
      models: ['raw', 'reactor'],
      contenders: { second: { model: 'reactor' } },
      scenarios: [
        { name: 'hello', request: { path: '/hello' }, expect: { bodyMatches: '^hello from reactor' }, connections: 2, models: ['raw', 'reactor', 'second'] },
        { name: 'only-reactor', request: { path: '/hello' }, connections: 2, models: ['reactor'], warmup: 0.2 },
      ],
      pairs: [
        { model: 'second', over: 'reactor', target: 0.5 },
        { model: 'reactor', over: 'second', label: 'the other way' },
      ],
      runs: 2,
      duration: 0.3,
      warmup: 0,
      seed: 7,
      progress: 'none',
      log: log.log,
    });
    expect(validateResult(result)).toEqual([]);
    const hello = result.scenarios.find((s) => s.name === 'hello')!;
    expect(hello.baseline).toBe('raw');
    expect(hello.pairs).toHaveLength(2);
    const [forward, back] = hello.pairs!;
    expect(forward).toMatchObject({ label: 'second / reactor', model: 'second', over: 'reactor', target: 0.5 });
    expect(back).toMatchObject({ label: 'the other way', model: 'reactor', over: 'second' });
    for (const pair of [forward!, back!]) {
      for (const figure of [pair.rps, pair.rpsMin, pair.rpsMax, pair.ratioOfMedians, pair.cpu, pair.leastCores]) expect(figure).toBeGreaterThan(0);
      expect(pair.rpsMin).toBeLessThanOrEqual(pair.rpsMax);
    }
    expect(typeof forward!.meetsTarget).toBe('boolean');
    // The same two rounds, one way and the other.
    expect(forward!.rpsMin * back!.rpsMax).toBeCloseTo(1, 6);
    // Where one of the two did not run, there is no pair.
    expect(result.scenarios.find((s) => s.name === 'only-reactor')!.pairs).toBeUndefined();
    expect(result.settings.pairs).toHaveLength(2);
    const markdown = markdownReport(result);
    expect(markdown).toContain('| second / reactor ');
    expect(markdown).toContain('| the other way ');
  }, 60_000);

  it('record a scenario warm-up of its own', () => {
    const own = result.scenarios.find((s) => s.name === 'only-reactor')!;
    expect(own.warmupS).toBe(0.2);
    expect(result.scenarios.find((s) => s.name === 'hello')!.warmupS).toBeUndefined();
    expect(markdownReport(result)).toContain('0.2 s of warm-up before each run');
  });

  it('name the option when a pair, a warm-up or quiet is wrong', () => {
    expect(fails({ models: ['raw', 'reactor'], pairs: [{ model: 'pool', over: 'raw' }] })).toThrow(
      'Invalid option "pairs[0].model": expected one of the models and contenders that run ("raw", "reactor"), got "pool".',
    );
    expect(fails({ models: ['raw', 'reactor'], pairs: [{ model: 'raw', over: 'raw' }] })).toThrow(
      'Invalid option "pairs[0].over": expected a model other than "raw"',
    );
    expect(fails({ models: ['raw', 'reactor'], pairs: [{ model: 'reactor', over: 'raw', target: 0 }] })).toThrow(
      'Invalid option "pairs[0].target": expected a number > 0',
    );
    expect(fails({ scenarios: [{ name: 'hello', request: { path: '/hello' }, warmup: -1 }] })).toThrow(
      'Invalid option "scenarios[0].warmup": expected a number >= 0',
    );
    expect(fails({ generator: 'wrk', scenarios: [{ name: 'hello', request: { path: '/hello' }, warmup: 0.5 }] })).toThrow(
      'Invalid option "scenarios[0].warmup": expected whole seconds with generator "wrk"',
    );
    expect(fails({ quiet: { idle: 2 } })).toThrow('Invalid option "quiet.idle": expected a share from 0 to 1');
    expect(resolveBenchOptions({ ...base, quiet: true }).quiet).toEqual({ idle: 0.9, windowS: 2, maxWaitS: 600 });
  });
});
