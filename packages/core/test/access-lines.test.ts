import type { IncomingMessage, ServerResponse } from 'node:http';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { AccessLog, HAND_OVER_CHARS } from '../src/ops/access-log.js';
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

  it('go in batches of HAND_OVER_CHARS at once, and the rest within a moment, after as before a full batch', async () => {
    const writes: string[] = [];
    const log = new AccessLog(pino({ level: 'info' }, { write() {} }), { write: (chunk: string) => writes.push(chunk) > 0 });
    // Lines of about 150 characters: enough for one full batch and some over.
    const count = Math.ceil(HAND_OVER_CHARS / 100);
    try {
      for (let n = 0; n < count; n++) log.end(request(n), response(), 200, 0.5, 1);
      // At least one batch went at once, at its size, before any timer could fire.
      expect(writes.length).toBeGreaterThanOrEqual(1);
      expect(writes[0]!.length).toBeGreaterThanOrEqual(HAND_OVER_CHARS);
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

  it('go at once once the server is closing', () => {
    const writes: string[] = [];
    const log = new AccessLog(pino({ level: 'info' }, { write() {} }), { write: (chunk: string) => writes.push(chunk) > 0 });
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
