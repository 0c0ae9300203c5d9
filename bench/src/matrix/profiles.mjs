/**
 * The two profiles. `quick` runs every demo scenario and one cell of the
 * isolation grid, every model once, briefly: it proves the whole pipeline
 * in about a minute and measures nothing. The default takes about 10
 * minutes on 2 cores and is the measurement of the demo's scenarios; the
 * isolation grid (about 22 minutes more) runs when asked for
 * (`--scenarios isolation`, or `bench:isolation`).
 */
import { QUICK_ISOLATION_CELL } from './isolation.mjs';
import { DEMO_SCENARIO_NAMES } from './scenarios.mjs';

export const PROFILES = {
  default: { runs: 3, duration: 3, warmup: 1, idle: 10_000, scenarios: DEMO_SCENARIO_NAMES },
  quick: { runs: 1, duration: 0.5, warmup: 0.25, idle: 1_000, scenarios: [...DEMO_SCENARIO_NAMES, QUICK_ISOLATION_CELL] },
};
