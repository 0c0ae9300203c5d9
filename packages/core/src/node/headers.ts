/**
 * Header conversion between Fetch and Node. Node's `writeHead` takes a flat
 * `[name, value, name, value]` list, which keeps repeated headers such as
 * set-cookie apart without building an object.
 */

import type { HeadersInput } from '../fetch-types.js';

/** Flattens any `HeadersInit` (or Headers) into `[name, value, ...]`. */
export function flattenHeaders(init: HeadersInput): string[] {
  const flat: string[] = [];
  if (init === undefined) return flat;
  if (init instanceof Headers) {
    // Iterating Headers yields each set-cookie on its own (Fetch spec, "sort and combine").
    for (const [name, value] of init) flat.push(name, value);
  } else if (Array.isArray(init)) {
    for (const pair of init) flat.push(String(pair[0]), String(pair[1]));
  } else {
    for (const name in init) {
      const value = (init as Record<string, string | string[]>)[name]!;
      if (Array.isArray(value)) for (const item of value) flat.push(name, item);
      else flat.push(name, String(value));
    }
  }
  return flat;
}

/**
 * Whether header name `name` is `lower` (lower-case) in any case, without
 * the string `toLowerCase` would make for each name looked at. Setting bit
 * 0x20 lowers a letter and keeps '-' and digits; the other characters it
 * would fold are not valid in a header name.
 */
export function isHeaderName(name: string, lower: string): boolean {
  if (name === lower) return true;
  if (name.length !== lower.length) return false;
  for (let i = 0; i < lower.length; i++) if ((name.charCodeAt(i) | 0x20) !== lower.charCodeAt(i)) return false;
  return true;
}

/**
 * The first value of `name` (lower-case) in a flat list, such as a request's
 * `rawHeaders`: touching `req.headers` instead makes Node build the whole
 * header object, a cost on every request that needs one value.
 */
export function headerValue(flat: readonly string[], name: string): string | undefined {
  for (let i = 0; i < flat.length; i += 2) {
    const key = flat[i]!;
    if (key.length === name.length && isHeaderName(key, name)) return flat[i + 1];
  }
  return undefined;
}

/** True when the flat list has `name` (lower-case) among its names. */
export function hasHeader(flat: readonly string[], name: string): boolean {
  for (let i = 0; i < flat.length; i += 2) {
    const key = flat[i]!;
    if (key.length === name.length && isHeaderName(key, name)) return true;
  }
  return false;
}
