/**
 * The channel fan-out bench (`bench:channel`) end to end, tiny: a burst
 * through pool threads, cluster processes and two instances sharing a real
 * redis-server, every receiver accounted for. No figure is asserted.
 */
import { describe, expect, it } from 'vitest';
import { main } from '../src/deploy/channel.mjs';

describe('bench:channel', () => {
  it('measures a burst through every transport, and every receiver gets all of it', async () => {
    let printed = '';
    const rows = await main(['--messages', '200'], (text) => (printed += text));
    expect(rows.map((row) => row.name)).toEqual(['pool: threads of one instance', 'cluster: processes of one instance', 'redis: two reactor instances']);
    expect(rows.map((row) => row.receivers)).toEqual([2, 1, 1]);
    for (const row of rows) expect(row.perSecond).toBeGreaterThan(0);
    expect(printed).toContain('| redis: two reactor instances | 1 |');
  }, 120_000);
});
