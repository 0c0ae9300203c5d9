/**
 * The routing bench (`bench:routing`) end to end, tiny: the demo as a
 * reactor and a pool instance behind nginx with the deploy guide's routing
 * config, and each instance alone. No figure is asserted.
 */
import { describe, expect, it } from 'vitest';
import { main } from '../src/deploy/routing.mjs';

describe('bench:routing', () => {
  it('measures the routed setup beside each instance alone, under the same mixed load', async () => {
    let printed = '';
    const rows = await main(['--duration', '1', '--connections', '4', '--cpu-ms', '5', '--generator', 'autocannon'], (text) => (printed += text));
    expect(rows.map((row) => row.name)).toEqual(['reactor alone', 'pool alone', 'routed: /cpu to pool, the rest to reactor']);
    for (const row of rows) {
      expect(row.cpuPerSecond).toBeGreaterThan(0);
      expect(row.hello.probes).toBeGreaterThan(0);
    }
    expect(printed).toContain('| routed: /cpu to pool, the rest to reactor |');
  }, 90_000);
});
