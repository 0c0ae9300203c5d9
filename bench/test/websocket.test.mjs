/**
 * The WebSocket bench (`bench:websocket`) end to end, tiny: echo and a
 * broadcast to a few idle sockets under raw ws, reactor, pool and cluster,
 * with the reports written. No figure is asserted beyond being there.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CONTENDERS, main, parseFlags } from '../src/websocket/run.mjs';

const out = mkdtempSync(join(tmpdir(), 'switchyard-ws-bench-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('bench:websocket', () => {
  it('measures echo and a broadcast for every contender, and writes the reports', async () => {
    let printed = '';
    const argv = [
      '--quick',
      '--sockets',
      '40',
      '--broadcasts',
      '2',
      '--connections',
      '4',
      '--window',
      '2',
      '--duration',
      '0.3',
      '--warmup',
      '0.1',
      '--out',
      out,
    ];
    const { dir, result } = await main(
      argv,
      (text) => (printed += text),
      () => {},
    );
    expect(dir).toBe(out);
    expect(result.contenders).toEqual(CONTENDERS);
    for (const contender of CONTENDERS) {
      const echo = result.echo.summary[contender];
      expect(echo.error, `echo under ${contender}`).toBeUndefined();
      expect(echo.messagesPerSecond).toBeGreaterThan(0);
      expect(echo.ratio).toBeGreaterThan(0);
      const broadcast = result.broadcast.summary[contender];
      expect(broadcast.error, `broadcast under ${contender}`).toBeUndefined();
      expect(broadcast.held).toBe(40);
      expect(broadcast.delivered).toBe(broadcast.expected);
      expect(Number.isFinite(broadcast.p99Ms)).toBe(true);
      expect(Number.isFinite(broadcast.rssPerSocket)).toBe(true);
      expect(Number.isFinite(broadcast.heapPerSocket)).toBe(true);
      expect(printed).toMatch(new RegExp(`\\| ${contender === 'raw' ? 'raw ws' : contender} \\| [0-9,]+ \\|`));
    }
    const saved = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    expect(Object.keys(saved.broadcast.summary)).toEqual(CONTENDERS);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    for (const id of ['echo-rate', 'echo-ratio', 'bc-latency', 'bc-memory', 'bc-ratio']) expect(html).toContain(`<canvas id="${id}">`);
    expect(existsSync(join(out, 'results.md'))).toBe(true);
  }, 120_000);

  it('checks its flags, naming the flag', () => {
    expect(() => parseFlags(['--contenders', 'reactor,nginx'])).toThrow(/--contenders/);
    expect(() => parseFlags(['--sockets', '0'])).toThrow(/--sockets/);
    // raw is the reference: always measured.
    expect(parseFlags(['--contenders', 'pool']).contenders).toEqual(['raw', 'pool']);
  });
});
