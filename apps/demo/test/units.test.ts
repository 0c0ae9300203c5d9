import { describe, expect, it } from 'vitest';
import { HttpError } from '../src/http-error.js';
import { numberParam } from '../src/query.js';
import { workloadRoutes } from '../src/routes/index.js';
import { parseRange } from '../src/static/range.js';
import { safeName } from '../src/static/resolve.js';
import { burnCpu, burnRounds, calibrate, roundsFor } from '../src/work/cpu.js';
import { jsSteps } from '../src/work/js-loop.js';
import { calibrateAll, CPU_KINDS, cpuWork, isCpuKind, KINDS, unitsFor } from '../src/work/kinds.js';
import { nativeIterations } from '../src/work/native.js';
import { workRate } from '../src/work/rate.js';

describe('numberParam', () => {
  const bounds = { min: 0, max: 1000, default: 2 };
  const read = (query: string, decimals = false) => numberParam(new URL(`http://x/${query}`), 'ms', { ...bounds, decimals });

  it('reads a value within the bounds, and the default when absent', () => {
    expect(read('?ms=0')).toBe(0);
    expect(read('?ms=1000')).toBe(1000);
    expect(read('')).toBe(2);
    expect(read('?ms=0.25', true)).toBe(0.25);
  });

  it.each(['?ms=1001', '?ms=-1', '?ms=1.5', '?ms=1e3', '?ms=0x10', '?ms=%201', '?ms=', '?ms=Infinity', '?ms=NaN'])(
    'refuses %s with a 400 naming the bound',
    (query) => {
      expect(() => read(query)).toThrow(HttpError);
      expect(() => read(query)).toThrow('ms must be an integer from 0 to 1000');
      try {
        read(query);
      } catch (error) {
        expect((error as HttpError).status).toBe(400);
      }
    },
  );
});

describe('parseRange (RFC 9110, 14.2) for a 100-byte file', () => {
  it.each([
    ['bytes=0-9', { start: 0, end: 9 }],
    ['bytes=90-', { start: 90, end: 99 }],
    ['bytes=-10', { start: 90, end: 99 }],
    ['bytes=-500', { start: 0, end: 99 }],
    ['bytes=50-500', { start: 50, end: 99 }],
    ['bytes = 1 - 2', { start: 1, end: 2 }],
    ['bytes=100-', 'unsatisfiable'],
    ['bytes=100-200', 'unsatisfiable'],
    ['bytes=-0', 'unsatisfiable'],
    ['bytes=5-1', undefined],
    ['bytes=0-1,3-4', undefined],
    ['bytes=-', undefined],
    ['items=0-1', undefined],
  ])('%s', (header, expected) => {
    expect(parseRange(header, 100)).toEqual(expected);
  });

  it('sends the whole file without a Range, and nothing of an empty one', () => {
    expect(parseRange(null, 100)).toBeUndefined();
    expect(parseRange('bytes=0-', 0)).toBe('unsatisfiable');
  });
});

describe('safeName', () => {
  it.each([
    ['hello.txt', 'hello.txt'],
    ['two%20words.txt', 'two words.txt'],
    ['..%2fsecret', undefined],
    ['..%5csecret', undefined],
    ['a%00b', undefined],
    ['.hidden', undefined],
    ['..', undefined],
    ['%2e%2e', undefined],
    ['sub/inner.txt', undefined],
    ['%E0%A4%A', undefined],
    ['', undefined],
  ])('%s', (encoded, expected) => {
    expect(safeName('/srv/files', encoded)).toBe(expected);
  });
});

describe('the kinds of /cpu work', () => {
  it('each does a fixed amount of work with a result that depends on all of it', () => {
    expect(jsSteps(1000)).toBe(jsSteps(1000));
    expect(jsSteps(1000)).not.toBe(jsSteps(1001));
    expect(jsSteps(0)).toMatch(/^[0-9a-f]{8}$/);
    expect(nativeIterations(50)).toBe(nativeIterations(50));
    expect(nativeIterations(50)).not.toBe(nativeIterations(51));
    expect(nativeIterations(0)).toBe('0'.repeat(64));
  });

  it('calibrates each kind once, and cpuWork does the units for the milliseconds asked', () => {
    calibrateAll();
    for (const kind of CPU_KINDS) {
      const rate = KINDS[kind].rate();
      expect(rate).toBeGreaterThan(0);
      expect(KINDS[kind].rate()).toBe(rate);
      expect(unitsFor(kind, 3)).toBe(Math.round(3 * rate));
      expect(cpuWork(kind, 1)).toEqual({ rounds: unitsFor(kind, 1), digest: KINDS[kind].run(unitsFor(kind, 1)) });
    }
    expect(CPU_KINDS.filter(isCpuKind)).toEqual(['hash', 'js', 'native']);
    expect(isCpuKind('gpu')).toBe(false);
  });

  it('takes a rate pinned in the environment instead of measuring one', () => {
    process.env.TEST_PINNED_RATE = '1234';
    try {
      let calls = 0;
      const rate = workRate('TEST_PINNED_RATE', 10, () => calls++);
      expect(rate()).toBe(1234);
      expect(calls).toBe(0);
    } finally {
      delete process.env.TEST_PINNED_RATE;
    }
    const measured = workRate('TEST_UNSET_RATE', 1000, (units) => jsSteps(units));
    expect(measured()).toBeGreaterThan(0);
    expect(Number.isInteger(measured())).toBe(true);
  });
});

describe('burnCpu: a fixed amount of work per millisecond', () => {
  it('hashes a set number of rounds, with the same digest wherever it runs', () => {
    expect(burnRounds(0)).toBe('0'.repeat(64));
    expect(burnRounds(3)).toBe(burnRounds(3));
    expect(burnRounds(3)).not.toBe(burnRounds(4));
  });

  it('scales the rounds with the milliseconds asked for', () => {
    const perMs = calibrate();
    expect(perMs).toBeGreaterThan(0);
    expect(calibrate()).toBe(perMs);
    expect(roundsFor(10)).toBe(Math.round(10 * perMs));
    expect(burnCpu(1)).toBe(burnRounds(roundsFor(1)));
  });
});

describe('the route catalogue', () => {
  it('has one route per path, each with an example and a summary', () => {
    const paths = workloadRoutes.map((route) => route.path);
    expect(new Set(paths).size).toBe(paths.length);
    for (const path of ['/hello', '/cpu', '/io', '/upstream', '/db', '/files/', '/chat', '/chat/events', '/idle', '/upload']) expect(paths).toContain(path);
    for (const route of workloadRoutes) {
      expect(route.example.startsWith(route.path.replace(/\/$/, ''))).toBe(true);
      expect(route.summary.length).toBeGreaterThan(10);
    }
  });

  it('says on the page that the database driver is synchronous', () => {
    expect(workloadRoutes.find((route) => route.path === '/db')!.summary).toMatch(/synchronous/);
  });
});
