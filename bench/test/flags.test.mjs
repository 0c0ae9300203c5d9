import { describe, expect, it } from 'vitest';
import { reusePortMissing } from '@switchyard/threads';
import { parseFlags } from '../src/matrix/flags.mjs';

/** Every model this Node runs: threads from Node 22.12. */
const MODELS = ['raw', 'sequential', 'reactor', 'pool', 'cluster', ...(reusePortMissing() ? [] : ['threads'])];

describe('pnpm bench flags', () => {
  it('defaults to the full matrix, and --quick to the short profile', () => {
    expect(parseFlags([])).toMatchObject({ profile: 'default', runs: 3, duration: 3, warmup: 1, idle: 10_000, generator: 'autocannon', classic: true });
    expect(parseFlags(['--quick'])).toMatchObject({ profile: 'quick', runs: 1, idle: 1_000, models: MODELS });
    expect(parseFlags(['--quick', '--runs', '3'])).toMatchObject({ profile: 'quick', runs: 3 });
  });

  it('runs the demo scenarios by default, and one isolation cell more with --quick', () => {
    const demo = ['hello', 'cpu', 'io-100', 'io-1000', 'upstream', 'file', 'upload', 'idle'];
    expect(parseFlags([]).scenarios).toEqual(demo);
    expect(parseFlags(['--quick']).scenarios).toEqual([...demo, 'isolation-js-5ms-c16']);
  });

  it('names the whole isolation grid with isolation, cell by cell in the suite order', () => {
    const { scenarios } = parseFlags(['--scenarios', 'isolation']);
    expect(scenarios).toHaveLength(16);
    expect(scenarios.slice(0, 3)).toEqual(['isolation-js-1ms-c16', 'isolation-js-1ms-c256', 'isolation-js-5ms-c16']);
    expect(scenarios.at(-1)).toBe('isolation-native-100ms-c256');
    expect(parseFlags(['--scenarios', 'isolation-native-100ms-c256,hello,isolation-js-20ms-c16']).scenarios).toEqual([
      'hello',
      'isolation-js-20ms-c16',
      'isolation-native-100ms-c256',
    ]);
  });

  it('filters scenarios and models, in the suite order, with io naming both io scenarios', () => {
    const flags = parseFlags(['--scenarios', 'idle,io,hello', '--models', 'pool,raw']);
    expect(flags.scenarios).toEqual(['hello', 'io-100', 'io-1000', 'idle']);
    expect(flags.models).toEqual(['raw', 'pool']);
  });

  it('names the flag and what it accepts when a value is wrong', () => {
    expect(() => parseFlags(['--runs', '0'])).toThrow('--runs must be an integer >= 1 (got "0")');
    expect(() => parseFlags(['--duration', 'soon'])).toThrow('--duration must be a number > 0 (got "soon")');
    expect(() => parseFlags(['--generator', 'ab'])).toThrow('--generator must be autocannon or wrk (got "ab")');
    expect(() => parseFlags(['--scenarios', 'hello,db'])).toThrow(
      '--scenarios must be a comma-separated list of hello, cpu, io-100, io-1000, upstream, file, upload, idle, isolation-<js|native>-<1|5|20|100>ms-c<16|256>, overload, io, isolation (got "db")',
    );
    expect(() => parseFlags(['--models', 'fibers'])).toThrow(
      '--models must be a comma-separated list of raw, sequential, reactor, pool, cluster, threads (got "fibers")',
    );
    expect(() => parseFlags(['--generator', 'wrk', '--quick'])).toThrow('--duration must be whole seconds with --generator wrk (got 0.5)');
    expect(() => parseFlags(['--fresh', 'never'])).toThrow('--fresh must be round or run (got "never")');
    expect(() => parseFlags(['--bogus'])).toThrow("Unknown option '--bogus'");
  });
});
