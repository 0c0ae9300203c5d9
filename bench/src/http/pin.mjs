/**
 * CPU pinning for the reactor-vs-raw bench: the server on one core, the load
 * generator (and this runner) on another. Both contenders are single
 * threads, so pinning takes nothing from them; what it removes is the kernel
 * moving server and generator across the same two cores, which on a 2-core
 * machine swung one contender's req/s by 3x between back-to-back runs.
 * The engine's pinning (`pin` in @switchyard/bench) does the work.
 */
import { pinProcess, planPinning as enginePlan } from '@switchyard/bench';

export const PIN_CHOICES = ['auto', 'on', 'off'];

/**
 * Decides the cores: `{ server: '0', generator: '1', taskset }`, or null
 * when pinning is off. 'auto' pins when `taskset` exists and there are at
 * least 2 cores; 'on' insists and says why it cannot.
 */
export function planPinning(requested = 'auto') {
  if (!PIN_CHOICES.includes(requested)) throw new TypeError(`--pin must be one of ${PIN_CHOICES.join(', ')} (got ${JSON.stringify(requested)})`);
  if (requested === 'off') return null;
  try {
    return enginePlan({ server: '0', generator: '1', required: requested === 'on' }).pinning ?? null;
  } catch (error) {
    throw new TypeError(`--pin on: ${error.message}`);
  }
}

/** Moves this process, and so the generator it starts, onto the generator's core. */
export function pinSelf(plan) {
  pinProcess(plan.taskset, plan.generator);
}

/** The command that starts `args` on the server's core (taskset execs, so the pid stays the server's). */
export function pinnedCommand(plan, command, args) {
  return plan ? { command: plan.taskset, args: ['-c', plan.server, command, ...args] } : { command, args };
}
