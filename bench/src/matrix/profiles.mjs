/**
 * The two profiles. `quick` runs every scenario and model once, briefly: it
 * proves the whole pipeline in about a minute and measures nothing. The
 * default takes about 10 minutes on 2 cores and is the measurement.
 */
export const PROFILES = {
  default: { runs: 3, duration: 3, warmup: 1, idle: 10_000 },
  quick: { runs: 1, duration: 0.5, warmup: 0.25, idle: 1_000 },
};
