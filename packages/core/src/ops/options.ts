import { invalidOption } from '../errors.js';
import type { Logger } from '../types.js';

type Env = Record<string, string | undefined>;

export type LogLevel = 'info' | 'debug';
export const LOG_LEVELS: readonly LogLevel[] = ['info', 'debug'];

/**
 * What Switchyard calls on a pino logger. Declared here, not taken from
 * pino: `ResolvedOptions` carries one, and pino's types need @types/node in
 * every project that reads core's.
 */
export interface PinoLike extends Logger {
  isLevelEnabled(level: string): boolean;
}

/** Where `/metrics` is served: its own port, or a path on the server's. */
export type MetricsTarget = { port: number } | { path: string };

/** The runner's own probe paths. */
export interface HealthPaths {
  live: string;
  ready: string;
}

export const kDefaultHealth: HealthPaths = { live: '/livez', ready: '/readyz' };
export const kDefaultMetricsPath = '/metrics';

function fromEnv(env: Env, key: string): string | undefined {
  const value = env[key];
  return value === undefined || value === '' ? undefined : value;
}

const OFF = new Set(['0', 'false', 'off']);
const ON = new Set(['1', 'true', 'on']);

function isPath(value: string): boolean {
  return value.startsWith('/') && !value.includes('?') && !value.includes('#');
}

/** `metrics`: a port (1-65535), a path starting with '/', or false; env SWITCHYARD_METRICS. Off by default. */
export function resolveMetrics(value: unknown, env: Env): MetricsTarget | undefined {
  const fromEnvironment = value === undefined;
  const raw = value ?? fromEnv(env, 'SWITCHYARD_METRICS');
  const name = fromEnvironment ? 'metrics (env SWITCHYARD_METRICS)' : 'metrics';
  if (raw === undefined || raw === false || (typeof raw === 'string' && OFF.has(raw.trim().toLowerCase()))) return undefined;
  if (raw === true || (typeof raw === 'string' && ON.has(raw.trim().toLowerCase()))) return { path: kDefaultMetricsPath };
  const accepted = "a port (1-65535), a path starting with '/', true (the path /metrics) or false";
  if (typeof raw === 'number' || (typeof raw === 'string' && /^\d+$/.test(raw.trim()))) {
    const port = Number(raw);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw invalidOption(name, accepted, raw);
    return { port };
  }
  if (typeof raw === 'string' && isPath(raw)) return { path: raw };
  throw invalidOption(name, accepted, raw);
}

/** `log`: 'info' or 'debug' turn access logs on, false leaves them off; env SWITCHYARD_LOG. */
export function resolveLog(value: unknown, env: Env): LogLevel | undefined {
  const fromEnvironment = value === undefined;
  const raw = value ?? fromEnv(env, 'SWITCHYARD_LOG');
  if (raw === undefined || raw === false || (typeof raw === 'string' && OFF.has(raw.trim().toLowerCase()))) return undefined;
  if (raw === true) return 'info';
  if (typeof raw === 'string' && LOG_LEVELS.includes(raw.trim().toLowerCase() as LogLevel)) return raw.trim().toLowerCase() as LogLevel;
  throw invalidOption(fromEnvironment ? 'log (env SWITCHYARD_LOG)' : 'log', "'info', 'debug' or false", raw);
}

/**
 * `health`: true for the default paths, `{ live, ready }` for others, false
 * for none; env SWITCHYARD_HEALTH (1, true, 0, false, or "live,ready" paths).
 */
export function resolveHealth(value: unknown, env: Env): HealthPaths | undefined {
  const fromEnvironment = value === undefined;
  const raw = value ?? fromEnv(env, 'SWITCHYARD_HEALTH');
  const name = fromEnvironment ? 'health (env SWITCHYARD_HEALTH)' : 'health';
  const accepted = "true, false, or { live, ready } paths starting with '/'";
  if (raw === undefined || raw === false) return undefined;
  if (raw === true) return { ...kDefaultHealth };
  if (typeof raw === 'string') {
    const text = raw.trim().toLowerCase();
    if (OFF.has(text)) return undefined;
    if (ON.has(text)) return { ...kDefaultHealth };
    const [live, ready, extra] = raw.split(',').map((part) => part.trim());
    if (live && ready && extra === undefined && isPath(live) && isPath(ready) && live !== ready) return { live, ready };
    throw invalidOption(name, "1, true, 0, false, or two paths as 'live,ready'", raw);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw invalidOption(name, accepted, raw);
  const paths = { ...kDefaultHealth, ...(raw as Partial<HealthPaths>) };
  for (const key of Object.keys(raw)) if (key !== 'live' && key !== 'ready') throw invalidOption(`health.${key}`, "'live' or 'ready' (an unknown key)", key);
  for (const key of ['live', 'ready'] as const) {
    if (typeof paths[key] !== 'string' || !isPath(paths[key])) throw invalidOption(`health.${key}`, "a path starting with '/', without a query", paths[key]);
  }
  if (paths.live === paths.ready) throw invalidOption('health.ready', 'a path other than health.live', paths.ready);
  return paths;
}
