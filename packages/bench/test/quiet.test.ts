/**
 * Waiting for an idle machine before each timed run: a real reading of the
 * CPUs, with a thread burning one core to make the machine busy.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { idleShare, runBench, waitForQuiet } from '@switchyard/bench';
import { APP, quietLog } from './helpers.js';

/** A thread that spins until terminated: one core fully busy. */
function burner(): Worker {
  return new Worker('for (;;) {}', { eval: true });
}

describe('quiet', () => {
  it('reads the idle share of every CPU, 0 to 1', async () => {
    const share = await idleShare(100);
    expect(share).toBeGreaterThanOrEqual(0);
    expect(share).toBeLessThanOrEqual(1);
  });

  it('goes on at once when any machine counts as idle', async () => {
    const waited = await waitForQuiet({ idle: 0, windowS: 0.05, maxWaitS: 5 });
    expect(waited.idle).toBe(true);
  });

  it('gives up after maxWaitS while a core is busy, and says so', async () => {
    const thread = burner();
    try {
      await new Promise((resolve) => thread.once('online', resolve));
      // One core of N fully busy: at most (N - 1) / N of the machine is idle, below this threshold.
      const idle = 1 - 0.5 / availableParallelism();
      const waited = await waitForQuiet({ idle, windowS: 0.2, maxWaitS: 0.3 });
      expect(waited.idle).toBe(false);
      expect(waited.idleShare).toBeLessThan(idle);
    } finally {
      await thread.terminate();
    }
  });

  it('is recorded in the run and its report', async () => {
    const log = quietLog();
    const result = await runBench({
      app: APP,
      models: ['reactor'],
      scenarios: [{ name: 'hello', request: { path: '/hello' }, connections: 2 }],
      quiet: { idle: 0, windowS: 0.05 },
      runs: 1,
      duration: 0.2,
      warmup: 0,
      progress: 'none',
      log: log.log,
    });
    expect(result.settings.quiet).toEqual({ idle: 0, windowS: 0.05, maxWaitS: 600 });
    expect(result.scenarios[0]!.models.reactor!.status).toBe('ok');
  }, 30_000);
});
