import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger } from '../types.js';

/** What a stray error is reported with: the request whose code raised it. */
export interface RequestLabel {
  readonly label: string;
}

/**
 * Which request's code is running, followed across awaits, timers and
 * listeners. Node runs its 'unhandledRejection' and 'uncaughtException'
 * handlers in the context where the error arose, so the store says whose
 * error it is. Used only while `unhandledErrors: 'log'` is on, and by
 * default only where the storage is cheap: from Node 24 it rides on the
 * async context frame; before, it hooks every promise, which took 30-50 %
 * of the reactor's throughput on handlers that await (bench:peers --models
 * cli). SWITCHYARD_TRACE_REQUESTS=1 turns it on there anyway.
 */
const origin = new AsyncLocalStorage<RequestLabel>();
export const TRACE_ENV = 'SWITCHYARD_TRACE_REQUESTS';
const tracing = Number(process.versions.node.split('.')[0]) >= 24 || process.env[TRACE_ENV] === '1';
const UNTRACED = `the request is not known: on Node before 24, ${TRACE_ENV}=1 names it, at a cost to throughput`;

let installs = 0;
const loggers: Logger[] = [];

function where(): string {
  const label = origin.getStore()?.label;
  return label ? `${label}: ` : '';
}

function untraced(): string {
  return tracing ? '' : `; ${UNTRACED}`;
}

const onRejection = (reason: unknown) => {
  loggers[0]?.error(`[switchyard] ${where()}a rejected promise nobody handled (the server goes on${untraced()})`, reason);
};

const onException = (error: unknown) => {
  loggers[0]?.error(`[switchyard] ${where()}an uncaught exception, thrown outside the handler's own call (the server goes on${untraced()})`, error);
};

/** True while stray errors are caught and traced to their request: only then does a request run inside `runAsRequest`. */
export function tracingRequests(): boolean {
  return installs > 0 && tracing;
}

/**
 * Logs rejected promises nobody handles and exceptions thrown from timers
 * and listeners, with the request they came from, instead of letting them
 * end the process. Counted: every server that asks for it releases it when
 * it closes, and Node's default comes back with the last release.
 */
export function catchUnhandled(logger: Logger): () => void {
  if (installs++ === 0) {
    process.on('unhandledRejection', onRejection);
    process.on('uncaughtException', onException);
  }
  loggers.push(logger);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    loggers.splice(loggers.indexOf(logger), 1);
    if (--installs === 0) {
      process.off('unhandledRejection', onRejection);
      process.off('uncaughtException', onException);
    }
  };
}

/** Runs `fn` as `request`'s code (see `tracingRequests`). */
export function runAsRequest<R>(request: RequestLabel, fn: () => R): R {
  return origin.run(request, fn);
}
