/**
 * A tiny real run against the fixture app: the result's shape, the report
 * files, and compare's verdicts. Figures are never asserted, only that
 * they exist.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareMarkdown, compareResults, runBench, validateReportDir, validateResult, which, writeReports, type BenchResult } from '@switchyard/bench';
import { APP, quietLog, RAW } from './helpers.js';

const IDLE = 20;
let result: BenchResult;
let dir: string;
const log = quietLog();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'switchyard-bench-test-'));
  result = await runBench({
    app: APP,
    rawHandler: RAW,
    models: ['raw', 'sequential', 'reactor'],
    scenarios: [
      { name: 'hello', title: 'a few bytes', request: { path: '/hello' }, expect: { bodyMatches: '^hello from ' }, connections: 4 },
      { name: 'wrong', request: { path: '/hello' }, expect: { bodyIncludes: 'nope' }, connections: 4 },
      { name: 'idle', kind: 'idle', request: { path: '/hello' }, connections: 4, idle: { request: { path: '/events' }, count: IDLE } },
      {
        name: 'isolation-cpu',
        request: { path: '/cpu?ms=5' },
        connections: 4,
        models: ['reactor'],
        probe: { request: { path: '/hello' }, openLoop: true },
        timeout: 20,
        drain: true,
        isolation: { work: 'js', costMs: 5 },
      },
    ],
    runs: 2,
    duration: 0.3,
    warmup: 0,
    seed: 42,
    classic: { requests: 50, concurrency: 5 },
    progress: 'none',
    log: log.log,
  });
  writeReports(result, dir);
}, 90_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('runBench', () => {
  it('returns a valid result with the run recorded', () => {
    expect(validateResult(result)).toEqual([]);
    expect(result.schema).toBe('switchyard-bench/1');
    expect(result.generator.name).toBe('autocannon');
    expect(result.settings).toMatchObject({
      runs: 2,
      seed: 42,
      models: ['raw', 'sequential', 'reactor'],
      scenarios: ['hello', 'wrong', 'idle', 'isolation-cpu'],
    });
    expect(result.system.cores).toBeGreaterThan(0);
    // Every round of every scenario ran every model it names once.
    for (const entry of result.order.filter((o) => o.scenario !== 'classic')) {
      expect([...entry.models].sort()).toEqual(entry.scenario === 'isolation-cpu' ? ['reactor'] : ['raw', 'reactor', 'sequential']);
    }
  });

  it('measures each model in every run, with ratios to the raw reference', () => {
    const hello = result.scenarios.find((s) => s.name === 'hello')!;
    expect(hello.baseline).toBe('raw');
    for (const model of ['raw', 'sequential', 'reactor'] as const) {
      const entry = hello.models[model]!;
      expect(entry.status).toBe('ok');
      expect(entry.samples).toHaveLength(2);
      expect(entry.summary!.requests).toBeGreaterThan(0);
      expect(Number.isFinite(entry.summary!.cpuUsPerReq)).toBe(true);
      expect(entry.summary!.peakRssBytes).toBeGreaterThan(0);
    }
    expect(hello.models.raw!.ratio!.rps).toBe(1);
    expect(hello.best).not.toBe('raw');
  });

  it('does not time a model that answers wrongly, and says why', () => {
    const wrong = result.scenarios.find((s) => s.name === 'wrong')!;
    for (const entry of Object.values(wrong.models)) {
      expect(entry.status).toBe('failed');
      expect(entry.samples).toEqual([]);
      expect(entry.problems[0]).toContain('does not contain "nope"');
    }
    expect(wrong.best).toBeUndefined();
  });

  it('holds idle connections and reads memory against them', () => {
    const idle = result.scenarios.find((s) => s.name === 'idle')!;
    const reactor = idle.models.reactor!.summary!.idle!;
    expect(reactor).toMatchObject({ requested: IDLE, held: IDLE });
    expect(reactor.curve[0]!.connections).toBe(0);
    expect(reactor.curve.at(-1)!.connections).toBe(IDLE);
    // One connection at a time: the first idle one takes the server.
    expect(idle.models.sequential!.summary!.idle!.held).toBeLessThan(IDLE);
  });

  it('times an open-loop probe beside an isolation cell, with its own timeout', () => {
    const cell = result.scenarios.find((s) => s.name === 'isolation-cpu')!;
    expect(cell).toMatchObject({
      baseline: 'reactor',
      timeoutS: 20,
      probe: { path: '/hello', everyMs: 10, openLoop: true },
      isolation: { work: 'js', costMs: 5, rpsRatios: {} },
    });
    const probe = cell.models.reactor!.summary!.probe!;
    expect(probe.sent).toBe(probe.requests + probe.errors + probe.unanswered!);
    expect(probe.oldestUnansweredMs).toBeGreaterThanOrEqual(0);
    expect(probe.requests).toBeGreaterThan(0);
    for (const sample of cell.models.reactor!.samples) expect(sample.probe!.sent).toBeGreaterThan(0);
  });

  it('runs the Apache Bench experiment when ab is installed, and says so when not', () => {
    const classic = result.classic!;
    if (which('ab')) {
      expect(classic.status).toBe('ran');
      expect(classic.models.sequential!.samples).toHaveLength(2);
      expect(classic.models.reactor!.summary!.failed).toBeGreaterThanOrEqual(0);
    } else {
      expect(classic).toMatchObject({ status: 'skipped', reason: expect.stringContaining('ab not installed') });
    }
  });
});

describe('reports', () => {
  it('writes results.json, markdown and a self-contained HTML report that validate', () => {
    expect(validateReportDir(dir)).toEqual([]);
    const markdown = readFileSync(join(dir, 'results.md'), 'utf8');
    expect(markdown).toContain('## hello: a few bytes');
    expect(markdown).toMatch(/\| model +\| +req\/s/);
    expect(markdown).toContain('★ best');
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toContain('Chart.js v4');
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect(html).toContain('id="idle-0"');
    expect(markdown).toMatch(/## Isolation\n\n.*\n\n\| work +\| cost +\| connections +\| reactor p50 +\| reactor p99 +\| reactor req\/s +\|/);
    expect(markdown).toMatch(/\| js +\| +5 ms \| +4 \|/);
    expect(html).toContain('id="isolation-p99-0"');
    expect(html).toContain('id="isolation-rps-0"');
    expect(JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')).settings.seed).toBe(42);
  });

  it('finds what is missing from a report folder', () => {
    expect(validateReportDir(join(dir, 'nowhere'))[0]).toContain('results.json is missing');
    expect(validateResult({ schema: 'other' })).toContain('schema is "other", expected "switchyard-bench/1"');
    const broken = structuredClone(result);
    const cell = broken.scenarios.find((s) => s.name === 'isolation-cpu')!;
    delete cell.models.reactor!.summary!.probe!.unanswered;
    expect(validateResult(broken)).toContain('scenario isolation-cpu reactor: summary.probe.unanswered is not a number');
  });
});

describe('compareResults', () => {
  it('finds nothing between a run and itself', () => {
    const comparison = compareResults(result, result);
    expect(comparison.regressions).toBe(0);
    expect(comparison.rows.filter((r) => r.before !== undefined).every((r) => r.verdict === 'same')).toBe(true);
  });

  it('flags a ratio that fell beyond the noise as a regression', () => {
    const after = structuredClone(result);
    const reactor = after.scenarios.find((s) => s.name === 'hello')!.models.reactor!;
    reactor.ratio = { ...reactor.ratio!, rps: reactor.ratio!.rps / 3, rpsMin: reactor.ratio!.rpsMin / 3, rpsMax: reactor.ratio!.rpsMin / 3 - 1e-6 };
    const comparison = compareResults(result, after);
    const row = comparison.rows.find((r) => r.scenario === 'hello' && r.model === 'reactor')!;
    expect(row).toMatchObject({ measure: 'ratio', verdict: 'regression' });
    expect(comparison.regressions).toBe(1);
    expect(compareMarkdown(comparison, { before: 'a', after: 'b' })).toContain('**REGRESSION**');
  });
});
