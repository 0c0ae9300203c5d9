import { describe, expect, it } from 'vitest';
import { microMarkdown, pickSuites, runMicro } from '../src/micro/index.mjs';

// A tiny budget per task: this proves every task runs and reports, not how fast.
const BRIEF = { time: 20, warmupTime: 5 };

describe('micro suite', () => {
  it.each(['dispatch', 'channel', 'headers'])('runs the %s group with finite figures and prints its rows', async (name) => {
    const result = await runMicro({ ...BRIEF, suites: [name] }, () => {});
    expect(result.suites.map((s) => s.name)).toEqual([name]);
    const markdown = microMarkdown(result);
    const { groups } = result.suites[0];
    expect(groups.length).toBeGreaterThan(0);
    for (const group of groups) {
      expect(markdown).toContain(`**${group.name}**`);
      for (const row of group.rows) {
        expect(row.problem, `${group.name} / ${row.name}`).toBeUndefined();
        for (const figure of [row.nsPerOp, row.opsPerSec, row.relative]) {
          expect(Number.isFinite(figure) && figure > 0, `${group.name} / ${row.name}: ${figure}`).toBe(true);
        }
        expect(markdown).toContain(`| ${row.name} `);
      }
    }
  });

  it('picks suites by name, in suite order, and names the choices when one is wrong', () => {
    expect(pickSuites('headers,dispatch')).toEqual(['dispatch', 'headers']);
    expect(() => pickSuites('headers,db')).toThrow('--micro-only must be a comma-separated list of bridge, dispatch, channel, headers (got "headers,db")');
  });
});
