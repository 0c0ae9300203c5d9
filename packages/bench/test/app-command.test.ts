/**
 * `switchyard bench` end to end: the core CLI's bin, a real run of the
 * fixture app with a fast route and one that holds the event loop for 50 ms
 * per request, the printed table, warnings and recommendation, and the
 * report folder. No figure is asserted, only that each is there.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBenchCommand, validateReportDir, type BenchResult } from '@switchyard/bench';
import { APP, switchyard, type CliResult } from './helpers.js';

/** Runs the command in this process, collecting what it writes. */
async function inProcess(argv: string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await runBenchCommand(argv, { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) } });
  return { code, stdout, stderr };
}

describe('switchyard bench on an app', () => {
  let out: string;
  let run: CliResult;

  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'switchyard-bench-app-'));
    run = await switchyard(
      ['bench', APP, '--route', '/hello', '--route', '/cpu?ms=50', '--quick', '--connections', '8', '--out', out],
      fileURLToPath(new URL('.', import.meta.url)),
    );
  }, 150_000);

  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('prints the table with a row per route and model', () => {
    expect(run.stderr).not.toMatch(/Error|at .*\.js:\d+/);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^\| route +\| model +\| +req\/s +\|/m);
    expect(run.stdout).toContain('p99 of GET /hello beside');
    for (const route of ['GET /hello', 'GET /cpu?ms=50']) expect(run.stdout).toContain(`| ${route} `);
    for (const model of ['reactor', 'pool', 'cluster']) expect(run.stdout.match(new RegExp(`\\| ${model} +\\|`, 'g'))).toHaveLength(2);
  });

  it('flags the route that blocks the event loop, and only that one', () => {
    expect(run.stdout).toMatch(/^warning: GET \/cpu\?ms=50 blocks the event loop: [\d.]+ ms of CPU per request under reactor \(threshold 10 ms\)/m);
    expect(run.stdout).not.toMatch(/^warning: GET \/hello/m);
  });

  it('ends with a recommendation naming a model and a measured reason', () => {
    expect(run.stdout).toMatch(/^recommendation: (reactor|pool|cluster): .*\d/m);
  });

  it('writes valid reports to --out, with the probe measured beside the loaded route', () => {
    expect(run.stdout).toContain(`reports: ${out}`);
    expect(validateReportDir(out)).toEqual([]);
    const result = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as BenchResult;
    const cpu = result.scenarios.find((s) => s.title === 'GET /cpu?ms=50')!;
    expect(cpu.probe).toEqual({ method: 'GET', path: '/hello', everyMs: 10, openLoop: false });
    for (const entry of Object.values(cpu.models)) {
      expect(entry.samples[0]!.probe!.requests).toBeGreaterThan(0);
      expect(typeof entry.summary!.probe!.p99Ms).toBe('number');
    }
    // The probe's own route is not probed beside itself.
    expect(result.scenarios.find((s) => s.title === 'GET /hello')!.probe).toBeUndefined();
    expect(readFileSync(join(out, 'results.md'), 'utf8')).toContain('p99 of GET /hello beside');
  });
});

describe('switchyard bench flags', () => {
  it.each([
    [['--route', '/a'], 'Missing <app>'],
    [[APP], 'Missing --route'],
    [[APP, '--route', 'hello'], 'Invalid --route "hello": expected a path starting with "/", or "METHOD /path"'],
    [[APP, '--route', '/a', '--models', 'raw'], 'Invalid --models "raw": raw needs a plain node:http handler'],
    [[APP, '--route', '/a', '--models', 'pool,cluster'], 'that includes reactor, the reference'],
    [[APP, '--route', '/a', '--models', 'fibers'], 'Invalid --models "fibers": expected a comma-separated list of reactor, pool, cluster, threads, sequential'],
    [[APP, '--route', '/a', '--runs', '0'], 'Invalid --runs "0": expected an integer >= 1.'],
    [[APP, '--route', '/a', '--duration', 'soon'], 'Invalid --duration "soon": expected a number > 0.'],
    [[APP, '--route', '/a', '--generator', 'ab'], 'Invalid --generator "ab": expected one of autocannon, wrk.'],
    [[APP, '--route', '/a', '--threads', '4'], "Unknown option '--threads'"],
  ])('exits 2 on %j, naming the flag', async (argv, message) => {
    const { code, stdout, stderr } = await inProcess(argv);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(message);
    expect(stderr).toContain('switchyard bench --help');
  });

  it('exits 1 naming the path when the app does not exist, before starting anything', async () => {
    const { code, stderr } = await inProcess(['missing-app.mjs', '--route', '/a']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/no module at .*missing-app\.mjs/);
  });

  it('--help prints every flag', async () => {
    const { code, stdout } = await inProcess(['--help']);
    expect(code).toBe(0);
    for (const flag of [
      '--route',
      '--probe',
      '--models',
      '--quick',
      '--runs',
      '--duration',
      '--connections',
      '--generator',
      '--workers',
      '--out',
      '--json',
      '--blocking-ms',
    ]) {
      expect(stdout).toContain(flag);
    }
  });
});
