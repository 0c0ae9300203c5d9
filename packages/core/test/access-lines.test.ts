import { describe, expect, it } from 'vitest';
import { writeLineGroups } from '../src/ops/log-thread.js';
import { type AccessFields, formatAccessLine } from '../src/ops/record.js';

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
