/**
 * The pool runner (`bench:pool`) on the engine: its flags, and the quick
 * run end to end: hello world against raw node:http, the CPU route with
 * the cheap route probed beside it, valid reports. No timing is asserted.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateReportDir } from '@switchyard/bench';
import { parsePoolFlags } from '../src/pool/flags.mjs';
import { main } from '../src/pool/run.mjs';

describe('bench:pool flags', () => {
  it('defaults to 3 rounds of 8 s, a 15 s warm-up for the CPU route, unpinned', () => {
    expect(parsePoolFlags([])).toMatchObject({
      runs: 3,
      duration: 8,
      warmup: 2,
      cpuWarmup: 15,
      connections: 64,
      cpuConnections: 32,
      cpuMs: 2,
      quiet: false,
      pin: false,
      generator: 'auto',
      scenarios: ['hello', 'cpu'],
    });
    expect(parsePoolFlags(['--quick'])).toMatchObject({ profile: 'quick', runs: 1, duration: 1, warmup: 0, cpuWarmup: 0 });
  });

  it('takes the older flags: --rounds, --quiet, --json', () => {
    expect(parsePoolFlags(['--rounds', '5', '--duration', '6', '--quiet', '--json', 'out.json'])).toMatchObject({
      runs: 5,
      duration: 6,
      quiet: true,
      json: 'out.json',
    });
    expect(() => parsePoolFlags(['--scenarios', 'hello,io'])).toThrow('--scenarios must be a comma-separated list of hello, cpu (got "io")');
    expect(() => parsePoolFlags(['--cpu-warmup', 'soon'])).toThrow('--cpu-warmup must be a number >= 0 (got "soon")');
  });
});

describe('the quick run', () => {
  let dir;
  afterAll(() => dir && rmSync(dir, { recursive: true, force: true }));

  it('measures (a), (b) and (c) with checked answers and writes reports that validate', async () => {
    dir = mkdtempSync(join(tmpdir(), 'switchyard-pool-'));
    const json = join(dir, 'copy.json');
    let printed = '';
    const { result } = await main(
      [
        '--quick',
        '--generator',
        'autocannon',
        '--duration',
        '0.5',
        '--cpu-ms',
        '0.2',
        '--workers',
        '2',
        '--connections',
        '8',
        '--cpu-connections',
        '4',
        '--progress',
        'none',
        '--seed',
        '1',
        '--out',
        dir,
        '--json',
        json,
      ],
      { log: () => {}, print: (text) => (printed += text) },
    );
    expect(validateReportDir(dir)).toEqual([]);
    expect(JSON.parse(readFileSync(json, 'utf8')).settings.seed).toBe(1);
    expect(result.settings).toMatchObject({
      title: 'Switchyard pool',
      models: ['raw', 'reactor', 'pool', 'reactor-global', 'pool-global'],
      fresh: 'run',
      workers: 2,
    });
    const hello = result.scenarios.find((s) => s.name === 'hello');
    expect(hello.baseline).toBe('raw');
    for (const name of result.settings.models) expect(hello.models[name].status, `hello ${name}`).toBe('ok');
    const cpu = result.scenarios.find((s) => s.name === 'cpu');
    expect(Object.keys(cpu.models)).toEqual(['reactor', 'pool']);
    expect(cpu.baseline).toBe('reactor');
    expect(cpu.probe).toMatchObject({ method: 'GET', path: '/cheap', everyMs: 10, openLoop: false });
    expect(cpu.warmupS).toBe(0);
    for (const name of ['reactor', 'pool']) {
      expect(cpu.models[name].status, `cpu ${name}`).toBe('ok');
      const probe = cpu.models[name].summary.probe;
      expect(probe.requests, `${name} probe`).toBeGreaterThan(0);
      expect(probe.errors).toBe(0);
      expect(probe.p99Ms).toBeGreaterThan(0);
    }
    expect(printed).toContain("## The pool's figures");
    expect(printed).toMatch(/\(c\) \/cheap while \(b\) runs, pool: p50 \S+ (?:µs|ms|s), p99/);
  }, 90_000);
});
