import type { IncomingMessage, ServerResponse } from 'node:http';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { AccessLog, HAND_OVER_BYTES } from '../src/ops/access-log.js';
import { encodeAccessLine, lineRoom } from '../src/ops/line-bytes.js';
import { writeLineGroups } from '../src/ops/log-thread.js';
import { type AccessFields, accessDetail, accessLine, thousandths } from '../src/ops/record.js';

/** The line for `f`, as the access log builds one. */
function formatAccessLine(time: number, pid: number, f: AccessFields): string {
  return accessLine(time, pid, f.method, f.path, f.status, f.bytes, f.durationMs, f.worker, f.requestId, accessDetail(f.remoteAddress, f.userAgent));
}

const fields: AccessFields = {
  method: 'GET',
  path: '/users/7?q=1',
  status: 200,
  bytes: 13,
  durationMs: 0.125,
  worker: 2,
  requestId: 'abc-123',
};

describe('access lines built on the serving thread', () => {
  it("match pino's own line for the same fields, key for key and in order", () => {
    const line = formatAccessLine(1_700_000_000_123, 4242, fields);
    expect(line.endsWith('}\n')).toBe(true);
    const expected = { level: 30, time: 1_700_000_000_123, pid: 4242, ...fields, msg: 'request' };
    expect(line).toBe(`${JSON.stringify(expected)}\n`);
  });

  it('write a streamed body as bytes null, and the client details at debug', () => {
    const line = formatAccessLine(1, 1, { ...fields, bytes: null, remoteAddress: '::1', userAgent: 'curl/8' });
    expect(JSON.parse(line)).toEqual({ level: 30, time: 1, pid: 1, ...fields, bytes: null, remoteAddress: '::1', userAgent: 'curl/8', msg: 'request' });
    expect(Object.keys(JSON.parse(line)).at(-1)).toBe('msg');
  });

  it('escape what JSON must escape in the path, the id and the user agent', () => {
    const awkward = 'a"b\\c\u0001\u007f\u2028é';
    const line = formatAccessLine(1, 1, { ...fields, path: `/${awkward}`, requestId: awkward, userAgent: awkward });
    expect(line.split('\n')).toHaveLength(2);
    const parsed = JSON.parse(line) as Record<string, unknown>;
    expect(parsed.path).toBe(`/${awkward}`);
    expect(parsed.requestId).toBe(awkward);
    expect(parsed.userAgent).toBe(awkward);
  });
});

describe('access lines written straight into bytes', () => {
  /** The bytes `encodeAccessLine` writes for `f`, or -1. */
  function encoded(time: number, pid: number, f: AccessFields): string | -1 {
    const out = Buffer.alloc(lineRoom(f.method, f.path, f.requestId, f.remoteAddress, f.userAgent) + 8, 0x23);
    const end = encodeAccessLine(out, 4, time, pid, f.method, f.path, f.status, f.bytes, f.durationMs, f.worker, f.requestId, f.remoteAddress, f.userAgent);
    if (end < 0) return -1;
    // Nothing is written outside the line.
    expect(out.subarray(0, 4).toString('latin1')).toBe('####');
    expect(out.subarray(end).every((byte) => byte === 0x23)).toBe(true);
    return out.subarray(4, end).toString('utf8');
  }

  it("are the string line's UTF-8 bytes, for every mix of fields the byte path covers", () => {
    const methods = ['GET', 'POST', 'M-SEARCH'];
    const paths = ['/', '/users/7?q=1', `/${'a'.repeat(3000)}`, "/a%20b/~x!$&'()*+,;=:@"];
    const times = [0, 7, 1_700_000_000_123, Number.MAX_SAFE_INTEGER];
    const durations = [0, 0.001, 0.05, 0.5, 0.125, 12.3, 999.999, 1_073_741.823];
    const lengths = [null, 0, 13, 10_000_000_000];
    const extras: Array<Pick<AccessFields, 'remoteAddress' | 'userAgent'>> = [
      {},
      { remoteAddress: '::1', userAgent: 'curl/8.5.0' },
      { remoteAddress: '', userAgent: '' },
      { remoteAddress: '127.0.0.1' },
      { userAgent: 'Mozilla/5.0 (X11; Linux x86_64)' },
    ];
    let checked = 0;
    for (const method of methods)
      for (const path of paths)
        for (const [n, time] of times.entries())
          for (const durationMs of durations)
            for (const bytes of lengths)
              for (const extra of extras) {
                const f: AccessFields = { method, path, status: [200, 404, 503][n % 3]!, bytes, durationMs, worker: n * 3, requestId: `id-${n}`, ...extra };
                const pid = [1, 4242, 4_194_304][n % 3]!;
                expect(encoded(time, pid, f)).toBe(formatAccessLine(time, pid, f));
                checked++;
              }
    expect(checked).toBe(3 * 4 * 4 * 8 * 4 * 5);
  });

  it('decline what needs an escape, text beyond ASCII or a number String() writes otherwise', () => {
    const base: AccessFields = { ...fields };
    for (const awkward of ['a"b', 'a\\b', 'a\u0001b', 'a\u007fb', 'é', '\u2028']) {
      expect(encoded(1, 1, { ...base, path: `/${awkward}` })).toBe(-1);
      expect(encoded(1, 1, { ...base, requestId: awkward })).toBe(-1);
      expect(encoded(1, 1, { ...base, userAgent: awkward })).toBe(-1);
    }
    for (const odd of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 60]) {
      expect(encoded(odd, 1, base)).toBe(-1);
      expect(encoded(1, 1, { ...base, bytes: odd })).toBe(-1);
    }
    for (const odd of [-1, 0.0001, 1.23456, 2 ** 31, Number.NaN]) expect(encoded(1, 1, { ...base, durationMs: odd })).toBe(-1);
  });

  it('write each line whole when lines in a row differ in one field of the route, or in the worker', () => {
    const shapes: AccessFields[] = [
      fields,
      { ...fields, path: '/users/8?q=1' },
      { ...fields, method: 'PUT' },
      { ...fields, status: 201 },
      { ...fields, bytes: null },
      { ...fields, bytes: 0 },
      { ...fields, worker: 3 },
      { ...fields, path: `/${'b'.repeat(600)}` },
      { ...fields, path: '/a"b' },
    ];
    const other = (i: number, round: number) => shapes[(i + round + 1) % shapes.length]!;
    const time = 1_700_000_000_500;
    for (let round = 0; round < 3; round++)
      for (const [i, f] of shapes.entries())
        for (const g of [f, f, f, other(i, round), other(i, round), f, other(i, round)]) {
          const expected = g.path.includes('"') ? -1 : formatAccessLine(time, 9, g);
          expect(encoded(time, 9, g)).toBe(expected);
        }
  });

  it('stay right in the same millisecond after a line that was declined midway', () => {
    const time = 1_700_000_000_999;
    expect(encoded(time, 7, fields)).toBe(formatAccessLine(time, 7, fields));
    // A new time whose pid is declined, then the first time again.
    expect(encoded(time + 1, -7, fields)).toBe(-1);
    expect(encoded(time, 7, fields)).toBe(formatAccessLine(time, 7, fields));
    expect(encoded(time + 1, 7, fields)).toBe(formatAccessLine(time + 1, 7, fields));
  });
});

describe('durations in a line', () => {
  it('are written as String() writes them, for every duration rounded to thousandths up to 100 s', () => {
    for (let scaled = 0; scaled <= 100_000; scaled++) {
      const value = scaled / 1000;
      if (thousandths(value) !== String(value)) expect(thousandths(value)).toBe(String(value));
    }
  });

  it('fall back to String() for values the table does not cover', () => {
    for (const value of [0.0001, 1.23456, -1.5, 2 ** 31, 1e21, Number.NaN]) expect(thousandths(value)).toBe(String(value));
  });
});

describe('the log thread writes whole lines, at most maxWrite bytes at a time', () => {
  const line = (n: number, width: number) => `${JSON.stringify({ n, pad: 'x'.repeat(width) })}\n`;
  const groups = (text: string, maxWrite: number) => {
    const out: string[] = [];
    writeLineGroups(text, maxWrite, (group) => out.push(group));
    return out;
  };

  it('passes a batch that fits as one write', () => {
    const text = line(1, 10) + line(2, 10);
    expect(groups(text, 4096)).toEqual([text]);
  });

  it('cuts a large batch at line ends, each write within maxWrite bytes, losing and reordering nothing', () => {
    const text = Array.from({ length: 300 }, (_, i) => line(i, i % 97)).join('');
    const out = groups(text, 512);
    expect(out.length).toBeGreaterThan(10);
    expect(out.join('')).toBe(text);
    for (const group of out) {
      expect(Buffer.byteLength(group)).toBeLessThanOrEqual(512);
      expect(group.endsWith('\n')).toBe(true);
    }
  });

  it('counts bytes, not characters, for text beyond ASCII', () => {
    const text = Array.from({ length: 40 }, (_, i) => `${JSON.stringify({ i, path: '/é'.repeat(20) })}\n`).join('');
    const out = groups(text, 256);
    expect(out.join('')).toBe(text);
    for (const group of out) expect(Buffer.byteLength(group)).toBeLessThanOrEqual(256);
  });

  it('writes a line longer than maxWrite alone, whole', () => {
    const long = line(2, 1000);
    const text = line(1, 5) + long + line(3, 5);
    const out = groups(text, 256);
    expect(out.join('')).toBe(text);
    expect(out).toContain(long);
  });
});

describe('access lines gathered for the log thread', () => {
  const request = (n: number) => ({ method: 'GET', url: `/n/${n}`, rawHeaders: [] }) as unknown as IncomingMessage;
  const response = () => ({}) as ServerResponse;

  it('go in batches of HAND_OVER_BYTES at once, and the rest within a moment, after as before a full batch', async () => {
    const writes: Array<string | Buffer> = [];
    const log = new AccessLog(pino({ level: 'info' }, { write() {} }), { write: (chunk) => writes.push(chunk) > 0 });
    // Lines of about 150 bytes: enough for one full batch and some over.
    const count = Math.ceil(HAND_OVER_BYTES / 100);
    try {
      for (let n = 0; n < count; n++) log.end(request(n), response(), 200, 0.5, 1);
      // At least one batch went at once, at its size, before any timer could fire.
      expect(writes.length).toBeGreaterThanOrEqual(1);
      expect(writes[0]!.length).toBeGreaterThanOrEqual(HAND_OVER_BYTES);
      await until(() => writes.join('').split('\n').length === count + 1);
      const lines = writes
        .join('')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { path: string });
      expect(lines.map((line) => line.path)).toEqual(Array.from({ length: count }, (_, n) => `/n/${n}`));
      // And again after a quiet spell: the timer that hands over the rest still works.
      log.end(request(count), response(), 200, 0.5, 1);
      await until(() => writes.join('').includes(`"/n/${count}"`));
    } finally {
      log.close();
    }
  });

  it('keep their order and their bytes when some need escapes, text beyond ASCII, or are longer than a batch', async () => {
    const writes: Array<string | Buffer> = [];
    const log = new AccessLog(pino({ level: 'info' }, { write() {} }), { write: (chunk) => writes.push(chunk) > 0 });
    const paths = Array.from({ length: 3000 }, (_, n) => {
      if (n % 500 === 7) return `/long/${'x'.repeat(HAND_OVER_BYTES + 20_000)}`;
      if (n % 10 === 3) return `/é/"${n}"\\`;
      return `/n/${n}`;
    });
    try {
      for (const [n, path] of paths.entries()) log.end({ ...request(n), url: path } as IncomingMessage, response(), 200, 0.5, 1);
      await until(() => writes.reduce((lines, chunk) => lines + String(chunk).split('\n').length - 1, 0) === paths.length);
      const lines = writes.map(String).join('').trim().split('\n');
      expect(lines.map((line) => (JSON.parse(line) as { path: string }).path)).toEqual(paths);
    } finally {
      log.close();
    }
  });

  it('go at once once the server is closing', () => {
    const writes: Array<string | Buffer> = [];
    const log = new AccessLog(pino({ level: 'info' }, { write() {} }), { write: (chunk) => writes.push(chunk) > 0 });
    log.end(request(1), response(), 200, 0.5, 1);
    log.close();
    expect(writes.join('')).toContain('"/n/1"');
    log.end(request(2), response(), 200, 0.5, 1);
    expect(writes.join('')).toContain('"/n/2"');
  });
});

async function until(check: () => boolean, ms = 2_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
