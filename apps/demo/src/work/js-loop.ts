/**
 * CPU work in JavaScript alone: an integer mixing loop (xorshift and a
 * multiply) that calls nothing native, so the thread that runs it stays in
 * JIT-compiled code the whole time, and V8 can interrupt it (a terminate,
 * a GC safepoint) at any iteration. Its result depends on every step, so
 * the loop cannot be optimised away and the answer can be checked.
 */
import { workRate } from './rate.js';

const TRIAL_STEPS = 500_000;

/** Runs `steps` steps; returns the final 32-bit state in hex (the same everywhere for the same `steps`). */
export function jsSteps(steps: number): string {
  let x = 0x9e3779b9 | 0;
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < steps; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    h = Math.imul(h ^ x, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** Steps per millisecond here; `DEMO_CPU_JS_STEPS_PER_MS` pins it across processes. */
export const jsStepsPerMs = workRate('DEMO_CPU_JS_STEPS_PER_MS', TRIAL_STEPS, jsSteps);
