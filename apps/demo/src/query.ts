import { HttpError } from './http-error.js';

/** What a numeric query parameter accepts, and what it is when absent. */
export interface Bounds {
  min: number;
  max: number;
  default: number;
  /** Accept decimals such as `0.5`; integers only otherwise. */
  decimals?: boolean;
}

const INTEGER = /^\d+$/;
const DECIMAL = /^\d+(?:\.\d+)?$/;

/**
 * Reads `name` from the query string within `bounds`. Anything else (a word,
 * a negative, `1e3`, a value past a bound, an empty `?ms=`) is a 400 whose
 * message names the accepted range, so a client can correct itself.
 */
export function numberParam(url: URL, name: string, bounds: Bounds): number {
  const raw = url.searchParams.get(name);
  if (raw === null) return bounds.default;
  const kind = bounds.decimals ? 'a number' : 'an integer';
  const value = Number(raw);
  const ok = (bounds.decimals ? DECIMAL : INTEGER).test(raw) && value >= bounds.min && value <= bounds.max;
  if (!ok) {
    const shown = raw.length > 40 ? `${raw.slice(0, 40)}...` : raw;
    throw new HttpError(400, `${name} must be ${kind} from ${bounds.min} to ${bounds.max} (got ${JSON.stringify(shown)})`);
  }
  return value;
}

/** True for `?name=1` or `?name=true`; a flag that is absent is false. */
export function flagParam(url: URL, name: string): boolean {
  const raw = url.searchParams.get(name);
  return raw === '1' || raw === 'true';
}

/** Reads `name` as one of `choices`; absent is `fallback`, anything else a 400 that lists the choices. */
export function choiceParam<T extends string>(url: URL, name: string, choices: readonly T[], fallback: T): T {
  const raw = url.searchParams.get(name);
  if (raw === null) return fallback;
  if ((choices as readonly string[]).includes(raw)) return raw as T;
  const shown = raw.length > 40 ? `${raw.slice(0, 40)}...` : raw;
  throw new HttpError(400, `${name} must be one of ${choices.join(', ')} (got ${JSON.stringify(shown)})`);
}
