import { createRequire } from 'node:module';
import { inspect } from 'node:util';
import type { Logger as Pino } from 'pino';
import type { Logger } from '../types.js';

const require = createRequire(import.meta.url);

export type LogLevel = 'info' | 'debug';

/** Each write carries at most PIPE_BUF bytes of whole lines: a pipe or an appending file takes it in one piece. */
const MAX_WRITE = 4096;
/** The writing thread waits for this much before a write, or FLUSH_EVERY_MS: fewer system calls under load. */
const MIN_WRITE = 3072;
const FLUSH_EVERY_MS = 100;
export const LOG_LEVELS: readonly LogLevel[] = ['info', 'debug'];

/** Whether `value` looks like a pino logger (what `serve({ logger })` may be given). */
export function isPino(value: unknown): value is Pino {
  const candidate = value as Partial<Pino> | null;
  return typeof candidate?.child === 'function' && typeof candidate?.levels === 'object' && typeof candidate?.info === 'function';
}

/**
 * A pino logger writing JSON lines to stdout off the hot path: the
 * serving thread only serialises each line into pino's transport buffer
 * (shared memory); a pino worker thread does the writing, a few kilobytes
 * at a time or every FLUSH_EVERY_MS. Measured on the reactor's hello
 * world: writing from the serving thread through the libuv thread pool
 * (pino.destination, sync: false) cost about 8 µs a line there, the
 * transport about half. Each write carries whole lines and at most 4096
 * bytes (PIPE_BUF), which a pipe or an appending file takes in one piece,
 * so the lines of several processes sharing stdout never interleave. pino
 * flushes the transport when the process exits.
 */
export function createPino(level: LogLevel): Pino {
  const pino = require('pino') as typeof import('pino');
  return pino.pino(
    // pino's default epoch-millisecond `time`: formatting an ISO date per line costs more.
    { level, base: { pid: process.pid } },
    pino.transport({ target: 'pino/file', options: { destination: 1, minLength: MIN_WRITE, maxWrite: MAX_WRITE, periodicFlush: FLUSH_EVERY_MS } }),
  );
}

/**
 * Switchyard's `Logger` over pino: the message's text parts become `msg`,
 * an error argument becomes `err` (pino's error serializer), so lifecycle
 * events and handler failures land in the same JSON stream as access lines.
 */
export function pinoLogger(pinoOrGet: Pino | (() => Pino)): Logger {
  const get = typeof pinoOrGet === 'function' && !isPino(pinoOrGet) ? pinoOrGet : () => pinoOrGet as Pino;
  const at = (level: 'error' | 'warn' | 'info') => (...args: unknown[]) => {
    const pino = get();
    const err = args.find((arg) => arg instanceof Error);
    const msg = args.filter((arg) => arg !== err).map((arg) => (typeof arg === 'string' ? arg : inspect(arg))).join(' ');
    if (err) pino[level]({ err }, msg);
    else pino[level](msg);
  };
  return { error: at('error'), warn: at('warn'), info: at('info') };
}
