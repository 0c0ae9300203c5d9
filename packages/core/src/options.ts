import { availableParallelism } from 'node:os';
import { invalidOption } from './errors.js';
import { resolveHealth, resolveLog, resolveMetrics, type HealthPaths, type LogLevel, type MetricsTarget, type PinoLike } from './ops/options.js';
import { createPino, isPino, pinoLogger } from './ops/pino-logger.js';
import { resolveChannel } from './channel-bridge.js';
import type { BackendName, ChannelBridge, Limits, Logger, ServeByNameOptions, ServeOptions, UnhandledErrors } from './types.js';

export const BACKENDS: readonly BackendName[] = ['reactor', 'pool', 'cluster', 'threads'];

/** Every limit filled in. */
export type ResolvedLimits = Required<Limits>;

/** Options after defaults, environment fallbacks and validation. */
export interface ResolvedOptions {
  app: string | URL;
  port: number;
  host: string;
  workers: number;
  limits: ResolvedLimits;
  graceMs: number;
  signals: boolean;
  fastGlobals: boolean;
  unhandledErrors: UnhandledErrors;
  healthPaths: string[];
  logger: Logger;
  /** Where `/metrics` is served, or undefined when metrics are off. */
  metrics: MetricsTarget | undefined;
  /** The access-log level, or undefined when access logs are off. */
  log: LogLevel | undefined;
  /** The pino logger access lines go to (the one given as `logger`, else a new one on stdout); set when `log` is. */
  pino: PinoLike | undefined;
  /** The runner's liveness and readiness paths, or undefined when off. */
  health: HealthPaths | undefined;
  /** What carries channel messages to other instances: a broker URL or a bridge; undefined when off. */
  channel: string | ChannelBridge | undefined;
  pool: Record<string, unknown>;
  cluster: Record<string, unknown>;
  threads: Record<string, unknown>;
}

export const kDefaultLimits: ResolvedLimits = {
  maxHeaderSize: 16 * 1024,
  maxBodySize: 1024 * 1024,
  requestTimeout: 30_000,
  headersTimeout: 10_000,
  keepAliveTimeout: 5_000,
  maxQueue: 1024,
  maxEventLoopDelay: 0,
  maxInFlight: 0,
};

/** Limits that may be 0 (no queue; for the overload limits, off). */
const MAY_BE_ZERO = new Set(['maxQueue', 'maxEventLoopDelay', 'maxInFlight']);

export const kDefaultOptions = {
  port: 3000,
  host: '127.0.0.1',
  graceMs: 10_000,
  signals: true,
  fastGlobals: true,
  unhandledErrors: 'crash',
  healthPaths: ['/health', '/healthz', '/readyz'],
} as const;

const UNHANDLED_ERRORS: readonly UnhandledErrors[] = ['log', 'crash'];

type Env = Record<string, string | undefined>;

function integer(name: string, value: unknown, min: number, max: number): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer from ${min} to ${max}`;
    throw invalidOption(name, range, value);
  }
  return n;
}

function fromEnv(env: Env, key: string): string | undefined {
  const value = env[key];
  return value === undefined || value === '' ? undefined : value;
}

/** Picks the backend from the option, else env `SWITCHYARD_BACKEND`, else reactor. */
export function resolveBackend(backend: unknown, env: Env = process.env): BackendName {
  const value = backend ?? fromEnv(env, 'SWITCHYARD_BACKEND') ?? 'reactor';
  if (!BACKENDS.includes(value as BackendName)) {
    throw invalidOption('backend', `one of ${BACKENDS.map((b) => `"${b}"`).join(', ')}`, value);
  }
  return value as BackendName;
}

function resolveLimits(input: unknown): ResolvedLimits {
  if (input === undefined) return { ...kDefaultLimits };
  if (input === null || typeof input !== 'object') throw invalidOption('limits', 'an object', input);
  const limits = { ...kDefaultLimits };
  for (const [key, value] of Object.entries(input)) {
    if (!(key in kDefaultLimits)) {
      throw invalidOption(`limits.${key}`, `one of ${Object.keys(kDefaultLimits).join(', ')} (an unknown limit)`, key);
    }
    if (value === undefined) continue;
    const min = MAY_BE_ZERO.has(key) ? 0 : 1;
    limits[key as keyof ResolvedLimits] = integer(`limits.${key}`, value, min, Number.MAX_SAFE_INTEGER);
  }
  const given = input as Limits;
  // Node refuses a headers timeout above the request timeout; follow a lowered one.
  if (given.headersTimeout === undefined) limits.headersTimeout = Math.min(limits.headersTimeout, limits.requestTimeout);
  else if (limits.headersTimeout > limits.requestTimeout) {
    throw invalidOption('limits.headersTimeout', `at most limits.requestTimeout (${limits.requestTimeout})`, limits.headersTimeout);
  }
  return limits;
}

function resolveHealthPaths(value: unknown): string[] {
  if (value === undefined) return [...kDefaultOptions.healthPaths];
  if (!Array.isArray(value) || !value.every((path) => typeof path === 'string' && path.startsWith('/') && !path.includes('?'))) {
    throw invalidOption('healthPaths', "an array of paths, each starting with '/' and without a query", value);
  }
  return [...value];
}

function resolveLogger(logger: unknown): Logger {
  if (logger === undefined) return console;
  if (isPino(logger)) return pinoLogger(logger);
  const ok =
    logger !== null && typeof logger === 'object' && ['error', 'warn', 'info'].every((m) => typeof (logger as Record<string, unknown>)[m] === 'function');
  if (!ok) throw invalidOption('logger', 'an object with error, warn and info methods', logger);
  return logger as Logger;
}

function resolveSection(name: string, value: unknown): Record<string, unknown> {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw invalidOption(name, 'an object', value);
  return value as Record<string, unknown>;
}

const SWITCHES: Record<string, boolean> = { '1': true, true: true, '0': false, false: false };

/** A true/false option that may also come from the environment as 1, true, 0 or false. */
function resolveSwitch(name: string, value: unknown, envName: string, env: Env, fallback: boolean): boolean {
  if (value !== undefined) {
    if (typeof value !== 'boolean') throw invalidOption(name, 'true or false', value);
    return value;
  }
  const raw = fromEnv(env, envName);
  if (raw === undefined) return fallback;
  const parsed = SWITCHES[raw.trim().toLowerCase()];
  if (parsed === undefined) throw invalidOption(`${name} (env ${envName})`, '1, true, 0 or false', raw);
  return parsed;
}

/**
 * Fills defaults and environment fallbacks into `input` and validates every
 * option, so a bad one fails at start with its name and what is accepted.
 */
export function resolveOptions(input: ServeOptions | ServeByNameOptions, env: Env = process.env): ResolvedOptions {
  if (input === null || typeof input !== 'object') throw invalidOption('options', 'an object', input);
  const { app } = input;
  if (!(typeof app === 'string' && app !== '') && !(app instanceof URL)) {
    throw invalidOption('app', 'the path or URL of the app module', app);
  }
  const port = integer('port', input.port ?? fromEnv(env, 'PORT') ?? kDefaultOptions.port, 0, 65535);
  const host = input.host ?? fromEnv(env, 'HOST') ?? kDefaultOptions.host;
  if (typeof host !== 'string' || host === '') throw invalidOption('host', 'a host name or IP address', host);
  const workers = integer('workers', input.workers ?? fromEnv(env, 'WEB_CONCURRENCY') ?? availableParallelism(), 1, 1024);
  const graceMs = integer('graceMs', input.graceMs ?? kDefaultOptions.graceMs, 0, Number.MAX_SAFE_INTEGER);
  const signals = input.signals ?? kDefaultOptions.signals;
  if (typeof signals !== 'boolean') throw invalidOption('signals', 'true or false', signals);
  const fastGlobals = resolveSwitch('fastGlobals', input.fastGlobals, 'SWITCHYARD_FAST_GLOBALS', env, kDefaultOptions.fastGlobals);
  const unhandledErrors = input.unhandledErrors ?? fromEnv(env, 'SWITCHYARD_UNHANDLED_ERRORS') ?? kDefaultOptions.unhandledErrors;
  if (!UNHANDLED_ERRORS.includes(unhandledErrors as UnhandledErrors)) {
    throw invalidOption(
      `unhandledErrors${input.unhandledErrors === undefined ? ' (env SWITCHYARD_UNHANDLED_ERRORS)' : ''}`,
      "'log' or 'crash'",
      unhandledErrors,
    );
  }
  const log = resolveLog(input.log, env);
  const logger = resolveLogger(input.logger);
  const given = isPino(input.logger) ? input.logger : undefined;
  // Created on first use, in the thread or process that logs: it starts a writer thread.
  let created: PinoLike | undefined;
  const pino = log ? () => given ?? (created ??= createPino(log)) : undefined;
  return {
    app,
    port,
    host,
    workers,
    limits: resolveLimits(input.limits),
    graceMs,
    signals,
    fastGlobals,
    unhandledErrors: unhandledErrors as UnhandledErrors,
    healthPaths: resolveHealthPaths(input.healthPaths),
    // With access logs on and no logger given, lifecycle lines join them on the same pino stream.
    logger: input.logger === undefined && pino ? pinoLogger(pino) : logger,
    metrics: resolveMetrics(input.metrics, env),
    log,
    get pino() {
      return pino?.();
    },
    health: resolveHealth(input.health, env),
    channel: resolveChannel(input.channel, env),
    pool: resolveSection('pool', input.pool),
    cluster: resolveSection('cluster', input.cluster),
    threads: resolveSection('threads', input.threads),
  };
}
