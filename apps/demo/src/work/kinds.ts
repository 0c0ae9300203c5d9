/**
 * The kinds of CPU work `/cpu` can do, each a fixed amount per millisecond
 * calibrated once (rate.ts): `hash`, chained SHA-256 rounds, many short
 * native calls from a JS loop (the default); `js`, a loop in JavaScript
 * alone; `native`, one long native call. Like cpu.ts, nothing here comes
 * from Switchyard, so the raw reference server imports the built file.
 */
import { burnRounds, calibrate } from './cpu.js';
import { jsSteps, jsStepsPerMs } from './js-loop.js';
import { nativeIterations, nativeIterationsPerMs } from './native.js';

export const CPU_KINDS = ['hash', 'js', 'native'] as const;
export type CpuKind = (typeof CPU_KINDS)[number];

interface Kind {
  /** Units of work per millisecond (calibrated or pinned). */
  rate: () => number;
  /** Does `units` of work; returns a result that depends on all of it. */
  run: (units: number) => string;
  /** The variable that pins the rate. */
  env: string;
}

export const KINDS: Record<CpuKind, Kind> = {
  hash: { rate: calibrate, run: burnRounds, env: 'DEMO_CPU_ROUNDS_PER_MS' },
  js: { rate: jsStepsPerMs, run: jsSteps, env: 'DEMO_CPU_JS_STEPS_PER_MS' },
  native: { rate: nativeIterationsPerMs, run: nativeIterations, env: 'DEMO_CPU_NATIVE_ITERATIONS_PER_MS' },
};

export const isCpuKind = (value: string): value is CpuKind => (CPU_KINDS as readonly string[]).includes(value);

/** The units of `kind` that make `ms` milliseconds on an idle core here. */
export function unitsFor(kind: CpuKind, ms: number): number {
  return Math.round(ms * KINDS[kind].rate());
}

/** About `ms` milliseconds of `kind`; the units done and their result, as `/cpu` answers them. */
export function cpuWork(kind: CpuKind, ms: number): { rounds: number; digest: string } {
  const rounds = unitsFor(kind, ms);
  return { rounds, digest: KINDS[kind].run(rounds) };
}

/** Calibrates every kind now, before traffic (instant where pinned). */
export function calibrateAll(): void {
  for (const kind of CPU_KINDS) KINDS[kind].rate();
}
