import type { Generator } from '../load/index.js';
import type { ResolvedBenchOptions } from '../options.js';
import type { Pinning } from '../proc/pin.js';
import type { Progress } from '../progress.js';

/** What every step of a run shares. */
export interface RunContext {
  options: ResolvedBenchOptions;
  generator: Generator;
  progress: Progress;
  /** The CPUs servers and generator run on, when pinned. */
  pinning?: Pinning;
  /** Open files each server and the idle client ask for. */
  fdLimit: number;
  /** Processes to kill if the run is cut short. */
  live: Set<{ kill(): void }>;
  /** Server log lines per model, capped. */
  logs: (model: string, line: string) => void;
  /** Whether `logs` would print or keep `model`'s next line: while not, its stdout is not cut into lines. */
  wantsLogs: (model: string) => boolean;
  /** The model result the current task adds to, for its log lines. */
  current?: { model: string; logs: string[] };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
