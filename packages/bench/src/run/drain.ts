/**
 * Waiting out the work a load left behind. A closed-loop generator stops
 * with one request in flight per connection, and the server still runs
 * each (it cannot know the client left until it writes the answer). With
 * 256 connections of 100 ms requests on one event loop that is 25 s of CPU,
 * which would otherwise fall on the next timed run, or on another model's.
 */
import type { ModelProcess } from '../server/launch.js';
import { sleep } from './context.js';

/** Length of one reading of the server's CPU use. */
const WINDOW_MS = 250;
/** Below this many cores over a window, the server counts as idle (an idle Node process uses a few percent at most). */
const IDLE_CORES = 0.25;

/** Resolves once the server's process tree used under IDLE_CORES over a window, or after `maxMs`; says which and how long it took. */
export async function drain(proc: ModelProcess, maxMs: number): Promise<{ idle: boolean; waitedMs: number }> {
  const started = performance.now();
  let last = await proc.usage();
  let at = performance.now();
  while (performance.now() - started < maxMs) {
    await sleep(WINDOW_MS);
    const usage = await proc.usage();
    const now = performance.now();
    const cores = (usage.cpuMs - last.cpuMs) / (now - at);
    if (cores < IDLE_CORES) return { idle: true, waitedMs: now - started };
    last = usage;
    at = now;
  }
  return { idle: false, waitedMs: performance.now() - started };
}
