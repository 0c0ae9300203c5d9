import { describe, expect, it } from 'vitest';
import { resolveBenchOptions, type BenchOptions } from '@switchyard/bench';
import { APP, RAW } from './helpers.js';

const base: BenchOptions = { app: APP, rawHandler: RAW, scenarios: [{ name: 'hello', request: { path: '/hello' } }] };
const fails = (options: Partial<BenchOptions>) => () => resolveBenchOptions({ ...base, ...options } as BenchOptions);

describe('resolveBenchOptions', () => {
  it('fills in the defaults', () => {
    const options = resolveBenchOptions(base);
    expect(options).toMatchObject({
      runs: 3,
      warmup: 1,
      duration: 3,
      generator: 'autocannon',
      timeout: 10,
      idleConnections: 10_000,
      baseline: 'raw',
      fresh: 'round',
    });
    expect(options.models).toEqual(['raw', 'sequential', 'reactor', 'pool', 'cluster']);
    expect(Number.isInteger(options.seed)).toBe(true);
  });

  it('leaves raw out without a raw handler, and makes the reactor the baseline', () => {
    const options = resolveBenchOptions({ app: APP, scenarios: base.scenarios });
    expect(options.models).toEqual(['sequential', 'reactor', 'pool', 'cluster']);
    expect(options.baseline).toBe('reactor');
  });

  it('names the option and the accepted values when one is wrong', () => {
    expect(fails({ runs: 0 })).toThrow('Invalid option "runs": expected an integer >= 1, got 0.');
    expect(fails({ duration: 0 })).toThrow('Invalid option "duration": expected a number > 0, got 0.');
    expect(fails({ generator: 'ab' as never })).toThrow('Invalid option "generator": expected one of "autocannon", "wrk", got "ab".');
    expect(fails({ models: ['reactor', 'fibers' as never] })).toThrow(
      'Invalid option "models": expected some of "raw", "sequential", "reactor", "pool", "cluster", "threads", got "fibers".',
    );
    expect(fails({ progress: 'fancy' as never })).toThrow('Invalid option "progress": expected one of "auto", "bar", "lines", "none"');
    expect(fails({ fresh: 'never' as never })).toThrow('Invalid option "fresh": expected one of "round", "run"');
    expect(fails({ baseline: 'pool', models: ['raw', 'reactor'] })).toThrow('Invalid option "baseline"');
    expect(fails({ generator: 'wrk', duration: 0.5 })).toThrow('Invalid option "duration": expected whole seconds with generator "wrk"');
  });

  it('says which module a model needs', () => {
    expect(() => resolveBenchOptions({ rawHandler: RAW, models: ['raw', 'pool'], scenarios: base.scenarios })).toThrow(
      'Invalid option "app": expected an app module path (the "pool" model needs one)',
    );
    expect(() => resolveBenchOptions({ app: APP, models: ['raw'], scenarios: base.scenarios })).toThrow('Invalid option "rawHandler"');
  });

  it('checks scenarios', () => {
    expect(fails({ scenarios: [] })).toThrow('Invalid option "scenarios": expected a non-empty array of scenarios');
    expect(fails({ scenarios: [{ name: 'Hello World', request: { path: '/' } }] })).toThrow('Invalid option "scenarios[0].name"');
    expect(fails({ scenarios: [{ name: 'a', request: { path: 'hello' } }] })).toThrow(
      'Invalid option "scenarios[0].request.path": expected a path starting with "/"',
    );
    expect(
      fails({
        scenarios: [
          { name: 'a', request: { path: '/' } },
          { name: 'a', request: { path: '/' } },
        ],
      }),
    ).toThrow('Invalid option "scenarios[1].name": expected a name not used by another scenario');
    expect(fails({ scenarios: [{ name: 'idle', kind: 'idle', request: { path: '/' } } as never] })).toThrow('Invalid option "scenarios[0].idle.request.path"');
  });

  it("sends a probe to the runner's metrics port only where every server of its scenario has one", () => {
    const probed = (models: BenchOptions['models'], on: unknown) => ({
      models,
      scenarios: [{ name: 'hello', request: { path: '/hello' }, probe: { request: { path: '/readyz' }, on } }] as BenchOptions['scenarios'],
    });
    expect(() => resolveBenchOptions({ ...base, ...probed(['reactor', 'pool'], 'metrics') })).not.toThrow();
    expect(fails(probed(['raw', 'reactor'], 'metrics'))).toThrow(
      'Invalid option "scenarios[0].probe.on": expected "server", since "raw" runs this scenario and has no runner\'s metrics port',
    );
    expect(fails(probed(['reactor'], 'admin'))).toThrow('Invalid option "scenarios[0].probe.on": expected one of "server", "metrics"');
  });

  it('fills in the classic experiment from the first GET scenario', () => {
    const options = resolveBenchOptions({ ...base, classic: true });
    expect(options.classic).toEqual({ requests: 1000, concurrency: 150, path: '/hello', expect: undefined });
    expect(fails({ classic: { requests: 10, concurrency: 20 } })).toThrow('Invalid option "classic.concurrency"');
  });
});
