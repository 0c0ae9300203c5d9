import { invalidOption } from '@switchyard/core';

/** Options under `ServeOptions.cluster`. None reads the environment. */
export interface ClusterOptions {
  /** Milliseconds between the heartbeats each process sends its primary. Default 1000. */
  heartbeatIntervalMs?: number;
  /**
   * A process whose heartbeats stop for this long (its event loop is stuck,
   * say in a synchronous infinite loop) is killed and replaced, like
   * gunicorn's worker `timeout`. Kept apart from `limits.requestTimeout`,
   * which answers 504 to a slow *async* handler in a healthy process. Its
   * clients lose their connections. Must exceed `heartbeatIntervalMs`.
   * Default 10000.
   */
  heartbeatTimeoutMs?: number;
  /**
   * Milliseconds a new process may take to load the app and run `setup`
   * before it counts as failed and is killed. Default 30000.
   */
  readyTimeoutMs?: number;
  /** Recycle a process after about this many requests; 0 never does. Default 0. */
  maxRequests?: number;
  /**
   * Each process gets a limit of `maxRequests` plus a random 0..jitter, so
   * processes do not all recycle at once. Default `maxRequests / 10`, rounded down.
   */
  maxRequestsJitter?: number;
  /** Recycle a process whose resident memory (RSS) passes this many bytes; 0 never does. Default 0. */
  maxRssBytes?: number;
  /** Delay before respawning a process that died; doubles with each quick failure in a row. Default 100. */
  restartDelayMs?: number;
  /** Ceiling of that delay. Default 10000. */
  maxRestartDelayMs?: number;
  /** A process that dies before it is ready, or within this many ms of starting, failed quickly. Default 5000. */
  minUptimeMs?: number;
  /**
   * Quick failures in a row in one process slot that make a crash loop: the
   * server stops with `ERR_CRASH_LOOP` instead of respawning forever. Default 5.
   */
  crashLoopLimit?: number;
  /**
   * Node flags for each process. Default: the primary's `process.execArgv`;
   * for threads, plus the `--import`/`--require` preloads of NODE_OPTIONS,
   * which Node runs on the main thread only.
   */
  execArgv?: string[];
}

export interface ResolvedClusterOptions {
  heartbeatIntervalMs: number;
  heartbeatTimeoutMs: number;
  readyTimeoutMs: number;
  maxRequests: number;
  maxRequestsJitter: number;
  maxRssBytes: number;
  restartDelayMs: number;
  maxRestartDelayMs: number;
  minUptimeMs: number;
  crashLoopLimit: number;
  execArgv: string[];
}

export const kDefaultClusterOptions: Omit<ResolvedClusterOptions, 'maxRequestsJitter' | 'execArgv'> = {
  heartbeatIntervalMs: 1_000,
  heartbeatTimeoutMs: 10_000,
  readyTimeoutMs: 30_000,
  maxRequests: 0,
  maxRssBytes: 0,
  restartDelayMs: 100,
  maxRestartDelayMs: 10_000,
  minUptimeMs: 5_000,
  crashLoopLimit: 5,
};

const MAX = Number.MAX_SAFE_INTEGER;
// setTimeout clamps anything longer to 1 ms, so a longer timer would fire at once.
const MAX_TIMER = 2 ** 31 - 1;

const RANGES: Record<keyof typeof kDefaultClusterOptions, [min: number, max: number]> = {
  heartbeatIntervalMs: [10, MAX_TIMER],
  heartbeatTimeoutMs: [20, MAX_TIMER],
  readyTimeoutMs: [1, MAX_TIMER],
  maxRequests: [0, MAX],
  maxRssBytes: [0, MAX],
  restartDelayMs: [0, MAX_TIMER],
  maxRestartDelayMs: [0, MAX_TIMER],
  minUptimeMs: [0, MAX_TIMER],
  crashLoopLimit: [1, 1_000],
};

const KEYS = [...Object.keys(RANGES), 'maxRequestsJitter', 'execArgv'];

function integer(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === MAX ? `an integer >= ${min}` : `an integer from ${min} to ${max}`;
    throw invalidOption(name, range, value);
  }
  return value;
}

/**
 * Validates `ServeOptions.cluster` (or `threads`: `group`), naming the
 * option that is wrong. `ownKeys` are the group's own options, validated by
 * its backend: accepted and named here, and left alone.
 */
export function resolveClusterOptions(
  section: Record<string, unknown>,
  group: 'cluster' | 'threads' = 'cluster',
  ownKeys: readonly string[] = [],
): ResolvedClusterOptions {
  const resolved = { ...kDefaultClusterOptions };
  const accepted = [...KEYS, ...ownKeys];
  for (const [key, value] of Object.entries(section)) {
    if (!accepted.includes(key)) throw invalidOption(`${group}.${key}`, `one of ${accepted.join(', ')} (an unknown option)`, key);
    if (value === undefined || key === 'maxRequestsJitter' || key === 'execArgv' || ownKeys.includes(key)) continue;
    const name = key as keyof typeof RANGES;
    resolved[name] = integer(`${group}.${name}`, value, ...RANGES[name]);
  }
  if (resolved.heartbeatTimeoutMs <= resolved.heartbeatIntervalMs) {
    throw invalidOption(`${group}.heartbeatTimeoutMs`, `more than ${group}.heartbeatIntervalMs (${resolved.heartbeatIntervalMs})`, resolved.heartbeatTimeoutMs);
  }
  if (resolved.maxRestartDelayMs < resolved.restartDelayMs) {
    throw invalidOption(`${group}.maxRestartDelayMs`, `at least ${group}.restartDelayMs (${resolved.restartDelayMs})`, resolved.maxRestartDelayMs);
  }
  const jitter = section.maxRequestsJitter;
  const execArgv = section.execArgv ?? process.execArgv;
  if (!Array.isArray(execArgv) || !execArgv.every((arg) => typeof arg === 'string')) {
    throw invalidOption(`${group}.execArgv`, 'an array of strings', execArgv);
  }
  return {
    ...resolved,
    maxRequestsJitter: jitter === undefined ? Math.floor(resolved.maxRequests / 10) : integer(`${group}.maxRequestsJitter`, jitter, 0, MAX),
    execArgv: [...execArgv],
  };
}

/** The request limit of one process: `maxRequests` plus its own share of jitter; 0 is none. */
export function requestLimit(options: ResolvedClusterOptions, random = Math.random): number {
  if (options.maxRequests === 0) return 0;
  return options.maxRequests + Math.floor(random() * (options.maxRequestsJitter + 1));
}
