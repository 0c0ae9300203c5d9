/**
 * Contenders beside the models: a server module of one's own and a model
 * with its own app, measured, recorded and reported like the models; and
 * pinning servers and generator to separate CPUs.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cpuList,
  planPinning,
  resolveBenchOptions,
  runBench,
  validateReportDir,
  which,
  writeReports,
  type BenchOptions,
  type BenchResult,
} from '@switchyard/bench';
import { APP, quietLog, RAW } from './helpers.js';

const SERVER = fileURLToPath(new URL('./fixtures/server.mjs', import.meta.url));
const HELLO = { name: 'hello', request: { path: '/hello' }, expect: { bodyMatches: '^hello from ' }, connections: 4 };
const canPin = which('taskset') !== undefined && availableParallelism() >= 2;

let result: BenchResult;
let dir: string;
const log = quietLog();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'switchyard-bench-contenders-'));
  result = await runBench({
    app: APP,
    rawHandler: RAW,
    models: ['raw'],
    contenders: {
      own: { server: SERVER, options: { greeting: 'hello from own' }, note: 'a server module of its own' },
      'reactor-again': { model: 'reactor', app: APP },
    },
    scenarios: [HELLO, { name: 'wrong', request: { path: '/hello' }, expect: { bodyIncludes: 'from raw' }, connections: 4, models: ['raw', 'own'] }],
    runs: 2,
    duration: 0.3,
    warmup: 0,
    seed: 7,
    pin: 'auto',
    title: 'Contender test',
    progress: 'none',
    log: log.log,
  });
  writeReports(result, dir);
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('contenders', () => {
  it('run beside the models, each round, with ratios to the raw reference', () => {
    expect(result.settings.models).toEqual(['raw', 'own', 'reactor-again']);
    expect(result.settings.contenders).toEqual({
      own: { note: 'a server module of its own', server: expect.stringMatching(/^file:.*server\.mjs$/) },
      'reactor-again': { model: 'reactor' },
    });
    const hello = result.scenarios.find((s) => s.name === 'hello')!;
    expect(hello.baseline).toBe('raw');
    for (const name of ['own', 'reactor-again']) {
      expect(hello.models[name]!.status).toBe('ok');
      expect(hello.models[name]!.samples).toHaveLength(2);
      expect(hello.models[name]!.ratio!.rps).toBeGreaterThan(0);
    }
  });

  it('are checked like models: a wrong answer is reported, not timed', () => {
    const wrong = result.scenarios.find((s) => s.name === 'wrong')!;
    expect(Object.keys(wrong.models)).toEqual(['raw', 'own']);
    expect(wrong.models.own!.status).toBe('failed');
    expect(wrong.models.own!.samples).toEqual([]);
    expect(wrong.models.own!.problems.join()).toContain('hello from own');
  });

  it('appear in valid reports, with their notes, a throughput table and colours of their own', () => {
    expect(validateReportDir(dir)).toEqual([]);
    const markdown = readFileSync(join(dir, 'results.md'), 'utf8');
    expect(markdown).toMatch(/^# Contender test, /);
    expect(markdown).toContain('- `own`: a server module of its own');
    expect(markdown).toContain('## Throughput');
    expect(markdown).toMatch(/\| scenario \| +raw \| +own \| reactor-again \|/);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain('const PALETTE');
  });

  it('are validated up front', () => {
    const base: BenchOptions = { rawHandler: RAW, scenarios: [{ name: 'hello', request: { path: '/hello' } }] };
    const fails = (contenders: unknown) => () => resolveBenchOptions({ ...base, contenders } as BenchOptions);
    expect(fails({ reactor: { server: SERVER } })).toThrow('Invalid option "contenders": expected names other than the models');
    expect(fails({ Own: { server: SERVER } })).toThrow('Invalid option "contenders": expected names of lower-case letters');
    expect(fails({ own: {} })).toThrow('Invalid option "contenders.own": expected either "model" or "server", not both');
    expect(fails({ own: { model: 'fibers' } })).toThrow('Invalid option "contenders.own.model"');
    expect(fails({ own: { model: 'pool' } })).toThrow('Invalid option "contenders.own.app"');
    expect(() =>
      resolveBenchOptions({ ...base, contenders: { own: { server: SERVER } }, scenarios: [{ name: 'a', request: { path: '/' }, models: ['other'] }] }),
    ).toThrow('Invalid option "scenarios[0].models"');
    // With contenders, the models run only when listed.
    expect(resolveBenchOptions({ ...base, contenders: { own: { server: SERVER } } }).models).toEqual(['own']);
  });
});

describe('pinning', () => {
  it.runIf(canPin)('starts servers on the server CPU and records it; the runner gets its CPUs back', () => {
    expect(result.settings.pin).toEqual({ server: '0', generator: '1' });
    expect(result.warnings).toEqual([]);
    const mine = execFileSync('taskset', ['-c', '-p', String(process.pid)], { encoding: 'utf8' });
    expect(cpuList(/list:\s*(\S+)/.exec(mine)![1]!).length).toBeGreaterThan(1);
  });

  it('runs unpinned with a note where it cannot pin, and fails when pinning was required', () => {
    expect(planPinning({ server: '0', generator: String(availableParallelism()), required: false }).note).toMatch(/not pinned/);
    expect(() => planPinning({ server: '0', generator: String(availableParallelism()), required: true })).toThrow('Invalid option "pin"');
    expect(cpuList('0-2,5')).toEqual([0, 1, 2, 5]);
  });
});
