/**
 * How much of a kind of work this machine does per millisecond, measured
 * once per thread or process (or pinned by an environment variable), so
 * that a request asks for a fixed amount of work, not a wait on the clock:
 * a busy-wait does less work on a preempted thread, and backends compared
 * on it would look alike.
 */

const TRIALS = 7;

/**
 * A rate getter for `run(units)`: the fastest of several trials of
 * `trialUnits`, since a slower trial only measures interruptions (JIT
 * warm-up, a preempted thread). A positive number in `process.env[env]`
 * wins, so that processes compared with each other do identical work.
 */
export function workRate(env: string, trialUnits: number, run: (units: number) => unknown): () => number {
  let rate: number | undefined;
  return () => {
    if (rate !== undefined) return rate;
    const pinned = Number(process.env[env]);
    if (Number.isFinite(pinned) && pinned > 0) return (rate = pinned);
    let best = 0;
    for (let trial = 0; trial < TRIALS; trial++) {
      const started = performance.now();
      run(trialUnits);
      best = Math.max(best, trialUnits / Math.max(performance.now() - started, 0.001));
    }
    return (rate = Math.max(1, Math.round(best)));
  };
}
