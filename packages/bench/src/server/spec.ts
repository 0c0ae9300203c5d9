import type { ModelName, SequentialOptions } from '../types.js';

/** What a server child process runs; it travels as JSON in an environment variable. */
export interface ServerSpec {
  /** A model, or `server`: a contender's own server module. */
  model: ModelName | 'server';
  /** The model's or contender's name, for logs. Default: the model. */
  name?: string;
  /** File URL of the app module. */
  app?: string;
  /** File URL of the raw handler module. */
  rawHandler?: string;
  /** File URL of a contender's server module, and the options its start function gets. */
  server?: string;
  options?: Record<string, unknown>;
  workers?: number;
  serve?: { limits?: Record<string, number>; pool?: Record<string, unknown>; cluster?: Record<string, unknown>; threads?: Record<string, unknown> };
  sequential: Required<SequentialOptions>;
  /** Directories to resolve `@switchyard/<backend>` from, in order. */
  resolveFrom: string[];
  /** Port to listen on (reactor, pool, cluster). Default 0: any free port. */
  port?: number;
  /** Address to listen on (reactor, pool, cluster). Default `127.0.0.1`. */
  host?: string;
  /** Serve the runner's metrics port too, with its health paths, on a free port (reactor, pool, cluster, threads): a probe goes there. */
  metricsPort?: boolean;
}

export const SPEC_ENV = 'SWITCHYARD_BENCH_SERVER';

/** What a started server gives its process entry. */
export interface StartedServer {
  url: string;
  /** The runner's metrics port, when the spec asked for one. */
  metricsUrl?: string;
  close(): Promise<void>;
  /** The server's `stats()`, where it has one (reactor, pool, cluster). */
  stats?(): Promise<unknown>;
}

/** Server log lines go to standard error, where the runner collects them. */
export const logger = {
  error: (...args: unknown[]) => console.error(...args),
  warn: (...args: unknown[]) => console.error(...args),
  info: () => {},
};
