/**
 * The overload bench (`bench:overload`) end to end, tiny: a real server
 * flooded by autocannon while the health probe runs; each row has the
 * probe's figures and the load's. No figure is asserted.
 */
import { describe, expect, it } from 'vitest';
import { main } from '../src/soak/overload.mjs';

describe('bench:overload', () => {
  it('floods a backend with its limits on and off and reports the probe and the load', async () => {
    let printed = '';
    const rows = await main(
      [
        '--backends',
        'reactor',
        '--scenarios',
        'cpu',
        '--duration',
        '1',
        '--settle',
        '0.5',
        '--connections',
        '20',
        '--ms',
        '5',
        '--generator',
        'autocannon',
        '--protection',
        'off,on,ops',
      ],
      (text) => (printed += text),
    );
    expect(rows.map((row) => row.protection)).toEqual(['off', 'on', 'ops']);
    for (const row of rows) {
      expect(row.probe.probes).toBeGreaterThan(0);
      expect(row.okPerSecond).toBeGreaterThan(0);
      expect(row.departedRuns).toBeGreaterThanOrEqual(0);
      expect(row.startedAfterLoad).toBeGreaterThanOrEqual(0);
    }
    expect(printed).toContain('| cpu | reactor | on |');
    expect(printed).toContain('20 connections, 5 ms per request');
    expect(printed).toContain('| ran beyond the 2xx | started after the load |');
    // The runner's own probe on the metrics port answered.
    expect(rows[2].probe.probes - rows[2].probe.failed).toBeGreaterThan(0);
  }, 60_000);

  it('refuses a per-request time that is not a positive number, naming the option', async () => {
    await expect(main(['--ms', '0'], () => {})).rejects.toThrow('--ms must be a number > 0 (got "0")');
  });

  it('refuses an unknown flag or backend, naming it, and prints its help with --help', async () => {
    await expect(main(['--backend', 'reactor'], () => {})).rejects.toThrow("Unknown option '--backend'");
    await expect(main(['--backends', 'reactor,fork'], () => {})).rejects.toThrow(
      '--backends must be a comma-separated list of reactor, pool, cluster (got "fork")',
    );
    let printed = '';
    expect(await main(['--help'], (text) => (printed += text))).toEqual([]);
    expect(printed).toContain('Usage: pnpm bench:overload');
  });

  it('refuses an unknown scenario, naming the known ones', async () => {
    await expect(main(['--scenarios', 'meltdown'], () => {})).rejects.toThrow('--scenarios must be a comma-separated list of cpu, io (got "meltdown")');
  });
});
