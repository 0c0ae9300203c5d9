/**
 * The abort soak (`bench:aborts`) end to end, tiny: every mode runs against
 * a real server and gets a row with its RSS and its ratio to the completed
 * mode. No memory figure is asserted.
 */
import { describe, expect, it } from 'vitest';
import { main } from '../src/soak/aborts.mjs';

describe('bench:aborts', () => {
  it('measures each mode against the completed one, in a fresh server each', async () => {
    let printed = '';
    const rows = await main(['--requests', '20', '--concurrency', '5', '--backends', 'reactor', '--settle', '0'], (text) => (printed += text));
    expect(rows.map((row) => row.mode)).toEqual(['complete', 'abort', 'abort-early', 'abort-timer']);
    for (const row of rows) {
      expect(row.afterMiB).toBeGreaterThan(0);
      expect(row.ratio).toBeGreaterThan(0);
    }
    expect(rows[0].ratio).toBe(1);
    expect(printed).toContain('| reactor | abort-timer |');
  });

  it('refuses an unknown mode, naming the known ones', async () => {
    await expect(main(['--modes', 'explode'], () => {})).rejects.toThrow(
      '--modes must be a comma-separated list of complete, abort, abort-early, abort-timer (got "explode")',
    );
  });
});
