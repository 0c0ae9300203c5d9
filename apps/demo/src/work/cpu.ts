/**
 * Synchronous CPU work of a fixed size: chained SHA-256 rounds. It imports
 * nothing from Switchyard so a raw `node:http` reference server can import
 * the built file and do exactly the same work.
 *
 * The work per millisecond is calibrated once, not measured against the
 * clock while working: a busy-wait on the clock does less work on a thread
 * that gets preempted, so backends would not be compared on equal work.
 */
import { createHash } from 'node:crypto';
import { workRate } from './rate.js';

/** The bytes each round hashes besides the previous digest: enough to be hashing, not call overhead. */
const BLOCK = Buffer.alloc(1024, 0x5a);
const TRIAL_ROUNDS = 200;

/** Does `rounds` chained SHA-256 rounds; returns the last digest in hex (the same everywhere for the same `rounds`). */
export function burnRounds(rounds: number): string {
  let digest = Buffer.alloc(32);
  for (let i = 0; i < rounds; i++) digest = createHash('sha256').update(BLOCK).update(digest).digest();
  return digest.toString('hex');
}

/**
 * Rounds this machine does per millisecond: the fastest of several trials,
 * since a slower trial only measures interruptions (JIT warm-up, a
 * preempted thread). `DEMO_CPU_ROUNDS_PER_MS` pins it, so that processes
 * compared with each other do identical work.
 */
export const calibrate = workRate('DEMO_CPU_ROUNDS_PER_MS', TRIAL_ROUNDS, burnRounds);

/** The rounds `burnCpu(ms)` does. */
export function roundsFor(ms: number): number {
  return Math.round(ms * calibrate());
}

/** About `ms` milliseconds of synchronous hashing on an idle core; returns the final digest. */
export function burnCpu(ms: number): string {
  return burnRounds(roundsFor(ms));
}
