import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { inspect } from 'node:util';
import type { Logger as Pino } from 'pino';
import type { Logger } from '../types.js';
import type { LogLevel, PinoLike } from './options.js';

const require = createRequire(import.meta.url);
const LOG_THREAD = fileURLToPath(new URL('./log-thread.js', import.meta.url));

/** Each write carries at most PIPE_BUF bytes of whole lines: a pipe or an appending file takes it in one piece. */
const MAX_WRITE = 4096;
/** The writing thread waits for this much before a write, or FLUSH_EVERY_MS: fewer system calls under load. */
const MIN_WRITE = 3072;
const FLUSH_EVERY_MS = 100;

/** Whether `value` looks like a pino logger (what `serve({ logger })` may be given). */
export function isPino(value: unknown): value is Pino {
  const candidate = value as Partial<Pino> | null;
  return typeof candidate?.child === 'function' && typeof candidate?.levels === 'object' && typeof candidate?.info === 'function';
}

/** Where whole access lines go as they are: the log thread's stream, or a test's. */
export interface LineSink {
  write(chunk: string | Buffer): boolean;
}

/** The log thread's stream behind each pino `createPino` made: access lines go to it directly. */
const recordStreams = new WeakMap<PinoLike, LineSink>();

/** Where access lines for `pino` may be written as they are (line-bytes.ts), if it is one `createPino` made. */
export function recordStream(pino: PinoLike): LineSink | undefined {
  return recordStreams.get(pino);
}

/**
 * A pino logger writing JSON lines to stdout off the serving thread,
 * through pino's transport: a thread of its own (log-thread.ts), fed
 * through shared memory. Access lines are written in pino's format on
 * the serving thread, straight into bytes (line-bytes.ts), handed over in
 * batches (access-log.ts), and the log thread only writes them out: pino serialising each
 * line, on either thread, cost several µs a request on the reactor's hello
 * world (see the core README's figures). Each write carries whole lines and at
 * most 4096 bytes (PIPE_BUF), which a pipe or an appending file takes in
 * one piece, so the lines of several processes sharing stdout never
 * interleave. pino flushes the transport when the process exits.
 */
export function createPino(level: LogLevel): Pino {
  const pino = require('pino') as typeof import('pino');
  const transport = pino.transport({
    target: LOG_THREAD,
    options: { minLength: MIN_WRITE, maxWrite: MAX_WRITE, periodicFlush: FLUSH_EVERY_MS },
  });
  // pino's default epoch-millisecond `time`: formatting an ISO date per line costs more.
  const logger = pino.pino({ level, base: { pid: process.pid } }, transport);
  recordStreams.set(logger, transport as unknown as LineSink);
  return logger;
}

/**
 * Switchyard's `Logger` over pino: the message's text parts become `msg`,
 * an error argument becomes `err` (pino's error serializer), so lifecycle
 * events and handler failures land in the same JSON stream as access lines.
 */
export function pinoLogger(pinoOrGet: PinoLike | (() => PinoLike)): Logger {
  const get = typeof pinoOrGet === 'function' ? pinoOrGet : () => pinoOrGet;
  const at =
    (level: 'error' | 'warn' | 'info') =>
    (...args: unknown[]) => {
      const pino = get();
      const err = args.find((arg) => arg instanceof Error);
      const msg = args
        .filter((arg) => arg !== err)
        .map((arg) => (typeof arg === 'string' ? arg : inspect(arg)))
        .join(' ');
      if (err) pino[level]({ err }, msg);
      else pino[level](msg);
    };
  return { error: at('error'), warn: at('warn'), info: at('info') };
}
