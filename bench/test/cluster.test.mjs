/**
 * The cluster runner (`bench:cluster`) on the engine: its flags, and the
 * quick run end to end: raw node:http, raw node:cluster, the reactor and
 * the cluster backend on both routes, ratios to raw and to the reactor, the
 * RSS of every process of a server summed. No timing is asserted.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { procAvailable, validateReportDir } from '@switchyard/bench';
import { parseClusterFlags } from '../src/cluster/flags.mjs';
import { main } from '../src/cluster/run.mjs';

describe('bench:cluster flags', () => {
  it('defaults to 3 rounds of 5 s after 2 s, 2 processes, 32 connections, unpinned', () => {
    expect(parseClusterFlags([])).toMatchObject({
      runs: 3,
      duration: 5,
      warmup: 2,
      processes: 2,
      connections: 32,
      cpuMs: 2,
      pin: false,
      scenarios: ['hello', 'cpu'],
      models: ['raw', 'node-cluster', 'reactor', 'cluster'],
    });
  });

  it('takes the older --out FILE.json as a JSON copy, and wrk with one thread only', () => {
    expect(parseClusterFlags(['--duration', '5', '--runs', '5', '--warmup', '2', '--out', 'results.json'])).toMatchObject({
      runs: 5,
      out: undefined,
      json: 'results.json',
    });
    expect(parseClusterFlags(['--threads', '1', '--out', 'dir'])).toMatchObject({ out: 'dir', json: undefined });
    expect(() => parseClusterFlags(['--threads', '2'])).toThrow('--threads must be 1 (the engine runs wrk with one thread) (got "2")');
    expect(() => parseClusterFlags(['--processes', '2', '--workers', '3'])).toThrow('--processes must be the same as --workers (3) (got "2")');
  });
});

describe('the quick run', () => {
  let dir;
  afterAll(() => dir && rmSync(dir, { recursive: true, force: true }));

  it('measures every contender on both routes with checked answers and writes reports that validate', async () => {
    dir = mkdtempSync(join(tmpdir(), 'switchyard-cluster-'));
    const { result } = await main(
      ['--quick', '--generator', 'autocannon', '--duration', '0.5', '--cpu-ms', '0.2', '--connections', '4', '--progress', 'none', '--seed', '1', '--out', dir],
      {
        log: () => {},
        print: () => {},
      },
    );
    expect(validateReportDir(dir)).toEqual([]);
    expect(result.settings).toMatchObject({
      title: 'Switchyard cluster',
      models: ['raw', 'reactor', 'cluster', 'node-cluster'],
      workers: 2,
      meta: { suite: 'cluster', processes: 2 },
    });
    expect(result.scenarios.map((s) => s.name)).toEqual(['hello', 'cpu']);
    for (const scenario of result.scenarios) {
      expect(scenario.baseline).toBe('raw');
      for (const name of result.settings.models) expect(scenario.models[name].status, `${scenario.name} ${name}`).toBe('ok');
      expect(scenario.pairs.map((p) => p.label)).toEqual(['raw / reactor', 'node-cluster / reactor', 'cluster / reactor']);
      for (const pair of scenario.pairs) expect(pair.rps, `${scenario.name} ${pair.label}`).toBeGreaterThan(0);
      if (procAvailable()) {
        // A primary and two workers, their RSS summed.
        for (const name of ['cluster', 'node-cluster']) {
          const [sample] = scenario.models[name].samples;
          expect(sample.processes, `${scenario.name} ${name}`).toBe(3);
          expect(sample.peakRssBytes).toBeGreaterThan(scenario.models.reactor.samples[0].peakRssBytes);
        }
        expect(scenario.models.reactor.samples[0].processes).toBe(1);
      }
    }
    expect(readFileSync(join(dir, 'results.md'), 'utf8')).toContain('| cluster / reactor ');
  }, 90_000);
});
