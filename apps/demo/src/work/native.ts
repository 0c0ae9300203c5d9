/**
 * CPU work in one native call: PBKDF2 with a calibrated iteration count,
 * run by `crypto.pbkdf2Sync`, which holds the calling thread in C++ from
 * start to end. Nothing in JavaScript can interrupt it meanwhile (not even
 * a worker's terminate), which is what sets it apart from the JS loop.
 */
import { pbkdf2Sync } from 'node:crypto';
import { workRate } from './rate.js';

const PASSWORD = 'switchyard';
const SALT = 'switchyard-demo-salt';
const TRIAL_ITERATIONS = 5_000;

/** One PBKDF2-SHA256 call of `iterations`; returns the 32-byte key in hex. Zero iterations do no work. */
export function nativeIterations(iterations: number): string {
  if (iterations < 1) return '0'.repeat(64);
  return pbkdf2Sync(PASSWORD, SALT, iterations, 32, 'sha256').toString('hex');
}

/** Iterations per millisecond here; `DEMO_CPU_NATIVE_ITERATIONS_PER_MS` pins it across processes. */
export const nativeIterationsPerMs = workRate('DEMO_CPU_NATIVE_ITERATIONS_PER_MS', TRIAL_ITERATIONS, nativeIterations);
