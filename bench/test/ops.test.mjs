/**
 * The operations runner (`bench:ops`) on the engine: its flags, and the
 * quick run end to end: each backend with metrics and with access logs on
 * beside it off, the pairs with their targets, and the scrape-agreement
 * check. No timing is asserted.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateReportDir } from '@switchyard/bench';
import { main, parseOpsFlags } from '../src/ops/run.mjs';

describe('bench:ops flags', () => {
  it('defaults to 5 rounds of 6 s on every backend, unpinned, and checks its own flags', () => {
    expect(parseOpsFlags([])).toMatchObject({
      runs: 5,
      duration: 6,
      warmup: 2,
      backends: ['reactor', 'pool', 'cluster'],
      connections: 64,
      agreementRequests: 20_000,
      pin: false,
      app: 'hello',
    });
    expect(parseOpsFlags(['--app', 'hono'])).toMatchObject({ app: 'hono' });
    expect(() => parseOpsFlags(['--app', 'express'])).toThrow('--app: expected one of hello, hono, got "express"');
    expect(parseOpsFlags(['--quick', '--backends', 'pool'])).toMatchObject({ profile: 'quick', runs: 1, backends: ['pool'], agreementRequests: 2_000 });
    expect(() => parseOpsFlags(['--backends', 'threads'])).toThrow('--backends must be a comma-separated list of reactor, pool, cluster (got "threads")');
    expect(() => parseOpsFlags(['--agreement-requests', '0'])).toThrow('--agreement-requests: expected an integer >= 1, got "0"');
  });
});

describe('the quick run', () => {
  let dir;
  afterAll(() => dir && rmSync(dir, { recursive: true, force: true }));

  it('measures each backend with metrics and with logs on against itself, and checks scrapes against the generator', async () => {
    dir = mkdtempSync(join(tmpdir(), 'switchyard-ops-'));
    let printed = '';
    const { result, costs, checks } = await main(
      [
        '--quick',
        '--generator',
        'autocannon',
        '--duration',
        '0.5',
        '--workers',
        '2',
        '--connections',
        '8',
        '--agreement-requests',
        '500',
        '--progress',
        'none',
        '--seed',
        '1',
        '--out',
        dir,
      ],
      { log: () => {}, print: (text) => (printed += text) },
    );
    expect(validateReportDir(dir)).toEqual([]);
    const hello = result.scenarios.find((s) => s.name === 'hello');
    const names = ['raw', 'reactor', 'pool', 'cluster', 'reactor-metrics', 'reactor-log', 'pool-metrics', 'pool-log', 'cluster-metrics', 'cluster-log'];
    for (const name of names) expect(hello.models[name]?.status, name).toBe('ok');
    expect(hello.pairs.map((p) => p.label)).toEqual([
      'reactor-metrics / reactor',
      'reactor-log / reactor',
      'pool-metrics / pool',
      'pool-log / pool',
      'cluster-metrics / cluster',
      'cluster-log / cluster',
    ]);
    expect(checks.map((c) => [c.backend, c.answered, c.after, c.agrees])).toEqual([
      ['reactor', 500, 500, true],
      ['pool', 500, 500, true],
      ['cluster', 500, 500, true],
    ]);
    expect(printed).toContain('## What metrics and access logs cost');
    for (const backend of ['reactor', 'pool', 'cluster']) {
      for (const mode of ['off', 'metrics', 'log']) {
        expect(costs[backend][mode].servingUs, `${backend} ${mode}`).toBeGreaterThan(0);
        expect(costs[backend][mode].allUs).toBeGreaterThanOrEqual(costs[backend][mode].servingUs);
      }
    }
    expect(printed).toContain('## Where the cost lands: CPU per request');
    expect(printed).toMatch(/- cluster-log \/ cluster: \S+x \(target >= 0\.85x/);
    expect(printed).toContain('| cluster | 500 | 500 |');
  }, 120_000);
});
