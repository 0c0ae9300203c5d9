import { createRequire } from 'node:module';
import { inspect } from 'node:util';
import type { Logger as Pino } from 'pino';
import type { Logger } from '../types.js';

const require = createRequire(import.meta.url);

export type LogLevel = 'info' | 'debug';
export const LOG_LEVELS: readonly LogLevel[] = ['info', 'debug'];

/** Whether `value` looks like a pino logger (what `serve({ logger })` may be given). */
export function isPino(value: unknown): value is Pino {
  const candidate = value as Partial<Pino> | null;
  return typeof candidate?.child === 'function' && typeof candidate?.levels === 'object' && typeof candidate?.info === 'function';
}

/**
 * A pino logger writing JSON lines to stdout off the hot path: pino's
 * asynchronous destination buffers lines and writes them in the
 * background. Each write carries whole lines and at most 4096 bytes
 * (PIPE_BUF), which a pipe or an appending file takes in one piece, so the
 * lines of several processes sharing stdout never interleave. pino flushes
 * what is buffered when the process exits.
 */
export function createPino(level: LogLevel): Pino {
  const pino = require('pino') as typeof import('pino');
  return pino.pino(
    { level, timestamp: pino.stdTimeFunctions.isoTime, base: { pid: process.pid } },
    pino.destination({ fd: 1, sync: false, maxWrite: 4096 }),
  );
}

/**
 * Switchyard's `Logger` over pino: the message's text parts become `msg`,
 * an error argument becomes `err` (pino's error serializer), so lifecycle
 * events and handler failures land in the same JSON stream as access lines.
 */
export function pinoLogger(pino: Pino): Logger {
  const at = (level: 'error' | 'warn' | 'info') => (...args: unknown[]) => {
    const err = args.find((arg) => arg instanceof Error);
    const msg = args.filter((arg) => arg !== err).map((arg) => (typeof arg === 'string' ? arg : inspect(arg))).join(' ');
    if (err) pino[level]({ err }, msg);
    else pino[level](msg);
  };
  return { error: at('error'), warn: at('warn'), info: at('info') };
}
