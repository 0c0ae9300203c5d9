import { invalidOption } from '@switchyard/core';

/**
 * `worker_threads`' `ResourceLimits`, in megabytes. Declared here rather than
 * imported, so that `PoolOptions` compiles in projects without @types/node.
 */
export interface ResourceLimits {
  maxYoungGenerationSizeMb?: number | undefined;
  maxOldGenerationSizeMb?: number | undefined;
  codeRangeSizeMb?: number | undefined;
  stackSizeMb?: number | undefined;
}

/** Options under `ServeOptions.pool`. */
export interface PoolOptions {
  /**
   * Requests one thread may have started and not yet answered. Above 1, an
   * async handler waiting on I/O lets the thread start others meanwhile.
   * A request the thread has started counts only while its event loop is
   * held (an awaiting handler holds no CPU), so an asynchronous app is not
   * throttled by this.
   * Requests whose route is known to block the thread (see the README) are
   * held back on the main thread whatever this says, so a high value does
   * not let CPU-bound work pile up behind a busy thread. Default 512.
   */
  concurrentTasksPerWorker?: number;
  /**
   * Bytes of a streamed response body a thread may send ahead of what the
   * client has taken. A slow client therefore holds at most this much per
   * stream in flight, plus the socket's own buffer. Default 262144 (256 KiB).
   */
  streamWindow?: number;
  /** V8 heap limits for each thread (`worker_threads` `resourceLimits`). Default: Node's. */
  resourceLimits?: ResourceLimits;
  /**
   * How much lower than the main thread the serving threads run, as a
   * `nice` increment (piscina's name), 0 to 19. On Linux a thread has its
   * own nice value, so CPU-bound handlers then yield the cores to the main
   * thread, which accepts, parses and answers, and to the express lane,
   * which stays at full priority. Ignored elsewhere. Default 10 (NICE_DEFAULT).
   */
  niceIncrement?: number;
  /**
   * Runs one more thread, beside the `workers`, that takes only requests
   * whose route is known to be cheap, and only while every other thread is
   * busy. A cheap route then never waits behind CPU-bound requests: with
   * 2 ms handlers loading both cores, a cheap route's p99 went from 7.5 ms
   * to 2.9 ms (see the README). It is not lowered by `niceIncrement`. The
   * price is one idle thread and one more `setup`. Default true.
   */
  expressLane?: boolean;
  /**
   * Node flags for each thread. Default: the main thread's `process.execArgv`
   * plus the `--import`/`--require` preloads of NODE_OPTIONS, so both
   * `node --import tsx` and `NODE_OPTIONS="--import tsx"` reach the threads;
   * V8 and process-wide flags (`--max-old-space-size`, `--expose-gc`), which
   * Node refuses in a thread's list, are the process's already. A list given
   * here goes to Node as it is.
   */
  execArgv?: string[];
}

export interface ResolvedPoolOptions {
  concurrentTasksPerWorker: number;
  streamWindow: number;
  resourceLimits: ResourceLimits | undefined;
  niceIncrement: number;
  expressLane: boolean;
  execArgv: string[] | undefined;
}

/** See `PoolOptions.niceIncrement`. */
export const NICE_DEFAULT = 10;

export const kDefaultPoolOptions: ResolvedPoolOptions = {
  concurrentTasksPerWorker: 512,
  streamWindow: 256 * 1024,
  resourceLimits: undefined,
  niceIncrement: NICE_DEFAULT,
  expressLane: true,
  execArgv: undefined,
};

const LIMIT_KEYS = ['maxOldGenerationSizeMb', 'maxYoungGenerationSizeMb', 'codeRangeSizeMb', 'stackSizeMb'];

function integer(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalidOption(name, `an integer from ${min} to ${max}`, value);
  }
  return value;
}

function resourceLimits(value: unknown): ResourceLimits {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw invalidOption('pool.resourceLimits', `an object with ${LIMIT_KEYS.join(', ')}`, value);
  }
  for (const [key, limit] of Object.entries(value)) {
    if (!LIMIT_KEYS.includes(key)) {
      throw invalidOption(`pool.resourceLimits.${key}`, `one of ${LIMIT_KEYS.join(', ')} (an unknown limit)`, key);
    }
    if (limit !== undefined && (typeof limit !== 'number' || !(limit > 0))) {
      throw invalidOption(`pool.resourceLimits.${key}`, 'a positive number of megabytes', limit);
    }
  }
  return value as ResourceLimits;
}

/** Validates `ServeOptions.pool`, naming the option that is wrong. */
export function resolvePoolOptions(section: Record<string, unknown>): ResolvedPoolOptions {
  const resolved = { ...kDefaultPoolOptions };
  for (const [key, value] of Object.entries(section)) {
    if (value === undefined) continue;
    switch (key) {
      case 'concurrentTasksPerWorker':
        resolved.concurrentTasksPerWorker = integer('pool.concurrentTasksPerWorker', value, 1, 65536);
        break;
      case 'streamWindow':
        resolved.streamWindow = integer('pool.streamWindow', value, 1024, 2 ** 30);
        break;
      case 'resourceLimits':
        resolved.resourceLimits = resourceLimits(value);
        break;
      case 'niceIncrement':
        resolved.niceIncrement = integer('pool.niceIncrement', value, 0, 19);
        break;
      case 'expressLane':
        if (typeof value !== 'boolean') throw invalidOption('pool.expressLane', 'true or false', value);
        resolved.expressLane = value;
        break;
      case 'execArgv':
        if (!Array.isArray(value) || !value.every((flag) => typeof flag === 'string')) {
          throw invalidOption('pool.execArgv', 'an array of strings', value);
        }
        resolved.execArgv = value as string[];
        break;
      default:
        throw invalidOption(`pool.${key}`, `one of ${Object.keys(kDefaultPoolOptions).join(', ')} (an unknown pool option)`, key);
    }
  }
  return resolved;
}
