/**
 * Waiting for an idle machine before a timed run (`BenchOptions.quiet`): on
 * a shared machine a neighbour's burst landing inside one run moves that
 * run's figures, and the ratios of the round with it.
 */
import { cpus } from 'node:os';
import type { QuietOptions } from '../types.js';
import { sleep } from './context.js';

/** CPU time of every core so far (ms): idle, and in all. */
function cpuTimes(): { idle: number; total: number } {
  let idle = 0;
  let total = 0;
  for (const { times } of cpus()) {
    idle += times.idle;
    total += times.user + times.nice + times.sys + times.idle + times.irq;
  }
  return { idle, total };
}

/** The share of all the machine's CPU time that was idle over the next `ms`, 0 to 1. */
export async function idleShare(ms: number): Promise<number> {
  const a = cpuTimes();
  await sleep(ms);
  const b = cpuTimes();
  const total = b.total - a.total;
  // No tick counted (a very short window): nothing says the machine was busy.
  return total > 0 ? Math.min(1, Math.max(0, (b.idle - a.idle) / total)) : 1;
}

/**
 * Reads the idle share over windows of `windowS` until one reaches `idle`,
 * or `maxWaitS` have passed; says which, how long it took and the last reading.
 */
export async function waitForQuiet({ idle, windowS, maxWaitS }: Required<QuietOptions>): Promise<{ idle: boolean; waitedMs: number; idleShare: number }> {
  const started = performance.now();
  for (;;) {
    const share = await idleShare(windowS * 1000);
    const waitedMs = performance.now() - started;
    if (share >= idle) return { idle: true, waitedMs, idleShare: share };
    if (waitedMs >= maxWaitS * 1000) return { idle: false, waitedMs, idleShare: share };
  }
}
