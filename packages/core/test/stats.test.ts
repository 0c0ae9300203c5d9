import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { LoopMonitor } from '../src/stats.js';

function block(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

describe('LoopMonitor', () => {
  it('reports a blocked loop as at least the block, less the sampling interval', async () => {
    const monitor = new LoopMonitor(10);
    await sleep(30);
    block(80);
    await sleep(30);
    const stats = monitor.read();
    monitor.stop();
    // The sampling timer could not fire for 80 ms: one interval of at least 80 ms, minus the 10 ms it waits anyway.
    expect(stats.delayP99Ms).toBeGreaterThanOrEqual(70);
    expect(stats.delayP50Ms).toBeGreaterThanOrEqual(0);
    expect(stats.utilization).toBeGreaterThan(0);
    expect(stats.utilization).toBeLessThanOrEqual(1);
  });

  it('starts a fresh window after each read', async () => {
    const monitor = new LoopMonitor(10);
    await sleep(20);
    block(80);
    await sleep(20);
    expect(monitor.read().delayP99Ms).toBeGreaterThanOrEqual(70);
    // Nothing ran since: an empty window, or only the timer's own ticks, never the old 80 ms.
    expect(monitor.read().delayP99Ms).toBeLessThan(70);
    monitor.stop();
  });
});
