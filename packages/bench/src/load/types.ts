import type { GeneratorName, LoadResult, RequestSpec } from '../types.js';

export interface LoadSettings {
  /** Seconds. */
  duration: number;
  connections: number;
  /** Seconds before a request counts as timed out. */
  timeout: number;
  /** Counted up as responses and failures arrive, for live figures; generators that report only at the end (wrk) leave it alone. */
  counts?: LoadCounts;
}

/** Responses and failures (socket errors, non-2xx, timeouts) so far in one generator run. */
export interface LoadCounts {
  requests: number;
  errors: number;
}

/** A load generator behind one interface. */
export interface Generator {
  name: GeneratorName;
  /** Name and version, as recorded in the results. */
  version: string;
  /** The equivalent command line, for reports; without `connections`, it reads "per scenario". */
  describe(settings: { timeout: number; connections?: number }): string;
  run(url: string, request: RequestSpec, settings: LoadSettings): Promise<LoadResult>;
}
