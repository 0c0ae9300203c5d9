import { SwitchyardError, type SwitchyardErrorCode } from '@switchyard/core';
import type { ErrorData } from './messages.js';

/**
 * Structured clone keeps an Error's name, message and stack but drops other
 * properties, `code` included, so errors cross as plain data.
 */
export function toErrorData(error: unknown): ErrorData {
  if (error instanceof Error) {
    const data: ErrorData = { name: error.name, message: error.message };
    if (error.stack !== undefined) data.stack = error.stack;
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string') data.code = code;
    return data;
  }
  return { name: 'Error', message: `a non-Error value was thrown: ${String(error)}` };
}

/** Rebuilds an error on the main thread: a SwitchyardError again when it was one. */
export function fromErrorData(data: ErrorData): Error {
  let error: Error;
  if (data.name === 'SwitchyardError' && data.code !== undefined) {
    error = new SwitchyardError(data.code as SwitchyardErrorCode, data.message);
  } else {
    error = Object.assign(new Error(data.message), data.code === undefined ? {} : { code: data.code });
    error.name = data.name;
  }
  if (data.stack !== undefined) error.stack = data.stack;
  return error;
}

/** Why a pool thread went away, for the log line and the error given to `setup` failures. */
export function threadExited(workerId: number, cause: unknown): Error {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new Error(`Pool thread ${workerId} exited: ${reason}`, { cause });
}

export function threadStuck(workerId: number, timeoutMs: number, busyMs: number): Error {
  return new Error(
    `Pool thread ${workerId} was terminated: a request ran past ${timeoutMs} ms (limits.requestTimeout) and the thread's event loop has been blocked for ${Math.round(busyMs)} ms`,
  );
}
