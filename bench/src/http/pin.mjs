/**
 * CPU pinning for the reactor-vs-raw bench: the server on one core, the load
 * generator (and this runner) on another. Both contenders are single
 * threads, so pinning takes nothing from them; what it removes is the kernel
 * moving server and generator across the same two cores, which on a 2-core
 * machine swung one contender's req/s by 3x between back-to-back runs.
 */
import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { which } from '@switchyard/bench';

export const PIN_CHOICES = ['auto', 'on', 'off'];

/**
 * Decides the cores: `{ server: '0', generator: '1' }`, or null when pinning
 * is off. 'auto' pins when `taskset` exists and there are at least 2 cores;
 * 'on' insists and says why it cannot.
 */
export function planPinning(requested = 'auto') {
  if (!PIN_CHOICES.includes(requested)) throw new TypeError(`--pin must be one of ${PIN_CHOICES.join(', ')} (got ${JSON.stringify(requested)})`);
  if (requested === 'off') return null;
  const cores = availableParallelism();
  const taskset = which('taskset');
  if (taskset && cores >= 2) return { server: '0', generator: '1', taskset };
  if (requested === 'on') {
    throw new TypeError(`--pin on needs taskset (util-linux) and at least 2 cores (found ${taskset ? 'taskset' : 'no taskset'}, ${cores} cores)`);
  }
  return null;
}

/** Moves this process, and so the generator it starts, onto the generator's core. */
export function pinSelf(plan) {
  execFileSync(plan.taskset, ['-a', '-p', '-c', plan.generator, String(process.pid)], { stdio: 'ignore' });
}

/** The command that starts `args` on the server's core (taskset execs, so the pid stays the server's). */
export function pinnedCommand(plan, command, args) {
  return plan ? { command: plan.taskset, args: ['-c', plan.server, command, ...args] } : { command, args };
}
