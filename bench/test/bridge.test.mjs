/**
 * The bridge runner (`bench:http`, `bench:bridge`) on the engine: its flags,
 * and the quick HTTP part end to end, every contender answering as expected,
 * with valid reports and the bridge's ratios. No timing is asserted.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateReportDir } from '@switchyard/bench';
import { CONTENDER_NAMES } from '../src/http/contenders.mjs';
import { main, parse } from '../src/run.mjs';

describe('bench:bridge flags', () => {
  it('defaults to 8 rounds of every contender, pinned when it can be', () => {
    expect(parse([]).http).toMatchObject({
      profile: 'default',
      runs: 8,
      duration: 3,
      warmup: 2,
      connections: 100,
      generator: 'auto',
      pin: 'auto',
      contenders: CONTENDER_NAMES,
      nativeRead: 'reader',
    });
    expect(parse(['--quick']).http).toMatchObject({ profile: 'quick', runs: 1, duration: 1, warmup: 0 });
    expect(parse(['--pin', 'off', '--no-install', '--contenders', 'reactor-native,raw-native']).http).toMatchObject({
      pin: false,
      contenders: ['raw-native', 'reactor-native'],
    });
  });

  it('names the flag when a value is wrong', () => {
    expect(() => parse(['--only', 'both'])).toThrow('--only must be micro or http (got "both")');
    expect(() => parse(['--contenders', 'raw-slow'])).toThrow(
      '--contenders must be a comma-separated list of raw-fast, reactor-fast, raw-native, reactor-native (got "raw-slow")',
    );
    expect(() => parse(['--runs', '0'])).toThrow('--runs must be an integer >= 1');
    expect(() => parse(['--pin', 'maybe'])).toThrow('--pin must be auto, on, off (got "maybe")');
  });
});

describe('the quick HTTP part', () => {
  let dir;
  afterAll(() => dir && rmSync(dir, { recursive: true, force: true }));

  it('times every contender after checking its answer, and reports the bridge ratios', async () => {
    dir = mkdtempSync(join(tmpdir(), 'switchyard-bridge-'));
    const lines = [];
    const { http } = await main(
      [
        '--only',
        'http',
        '--quick',
        '--generator',
        'autocannon',
        '--duration',
        '0.3',
        '--connections',
        '4',
        '--pin',
        'off',
        '--progress',
        'none',
        '--seed',
        '1',
        '--out',
        dir,
      ],
      {
        log: (line) => lines.push(line),
        print: () => {},
      },
    );
    expect(validateReportDir(dir)).toEqual([]);
    expect(existsSync(join(dir, 'micro.json'))).toBe(false);
    expect(http.settings).toMatchObject({
      title: 'Switchyard bridge: reactor vs raw node:http',
      models: CONTENDER_NAMES,
      fresh: 'run',
      meta: { suite: 'bridge', nativeRead: 'reader' },
    });
    const [hello] = http.scenarios;
    expect(hello.baseline).toBe('raw-fast');
    for (const name of CONTENDER_NAMES) expect(hello.models[name].status, name).toBe('ok');
    expect(hello.pairs.map((p) => p.label)).toEqual(['reactor-fast / raw-fast', 'reactor-native / raw-native', 'reactor-native / raw-fast']);
    for (const pair of hello.pairs) expect(pair.rps, pair.label).toBeGreaterThan(0);
    expect(hello.pairs.map((p) => p.target)).toEqual([0.95, 0.95, undefined]);
    expect(readFileSync(join(dir, 'results.md'), 'utf8')).toContain('| reactor-native / raw-native ');
  }, 60_000);
});

describe('the quick micro part', () => {
  let dir;
  afterAll(() => dir && rmSync(dir, { recursive: true, force: true }));

  it('writes micro.json and micro.md beside where the HTTP reports go', async () => {
    dir = mkdtempSync(join(tmpdir(), 'switchyard-micro-'));
    let printed = '';
    const { micro, http } = await main(['--only', 'micro', '--quick', '--micro-only', 'headers', '--out', dir], {
      log: () => {},
      print: (text) => (printed += text),
    });
    expect(http).toBeUndefined();
    expect(micro.suites.map((s) => s.name)).toEqual(['headers']);
    expect(micro.options).toMatchObject({ time: 20, warmupTime: 5 });
    expect(JSON.parse(readFileSync(join(dir, 'micro.json'), 'utf8')).suites[0].name).toBe('headers');
    expect(readFileSync(join(dir, 'micro.md'), 'utf8')).toBe(printed.slice(1));
    expect(existsSync(join(dir, 'results.json'))).toBe(false);
  }, 30_000);
});
