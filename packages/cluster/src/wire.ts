/**
 * Errors and log arguments on their way to the primary. The IPC channel
 * speaks JSON, which would turn an error into `{}`, so errors travel as
 * their parts (a `SwitchyardError` keeps its class and `code`), and other
 * arguments as themselves when JSON keeps them, else as `util.inspect` text.
 */
import { inspect } from 'node:util';
import { SwitchyardError, type SwitchyardErrorCode } from '@switchyard/core';

export interface ErrorData {
  name: string;
  message: string;
  stack?: string;
  code?: string;
}

/** A log argument: an error as its parts, a JSON primitive as itself, anything else as text. */
export type WireValue = { error: ErrorData } | { value: unknown };

export function encodeError(error: unknown): ErrorData {
  if (!(error instanceof Error)) return { name: 'Error', message: typeof error === 'string' ? error : inspect(error) };
  const code = (error as { code?: unknown }).code;
  return {
    name: error.name,
    message: error.message,
    ...(error.stack === undefined ? {} : { stack: error.stack }),
    ...(typeof code === 'string' ? { code } : {}),
  };
}

/** Rebuilds an error in the primary; a `SwitchyardError` keeps its class and code. */
export function decodeError(data: ErrorData): Error {
  const error =
    data.name === 'SwitchyardError' && data.code
      ? new SwitchyardError(data.code as SwitchyardErrorCode, data.message)
      : Object.assign(new Error(data.message), data.code ? { code: data.code } : {});
  if (data.name !== error.name) Object.defineProperty(error, 'name', { value: data.name, configurable: true });
  if (data.stack !== undefined) error.stack = data.stack;
  return error;
}

export function encodeArg(arg: unknown): WireValue {
  if (arg instanceof Error) return { error: encodeError(arg) };
  if (arg === null || typeof arg === 'string' || typeof arg === 'boolean' || (typeof arg === 'number' && Number.isFinite(arg))) {
    return { value: arg };
  }
  return { value: inspect(arg) };
}

export function decodeArg(arg: WireValue): unknown {
  return 'error' in arg ? decodeError(arg.error) : arg.value;
}
