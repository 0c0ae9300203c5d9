/**
 * The fast globals: in a thread or process that serves an app, the global
 * `Response` becomes core's FastResponse and the global `Request` a subclass
 * of the platform's that accepts the lazy requests handlers receive. Apps
 * that build `new Response(...)` themselves, Hono apps among them, then take
 * the same fast path as apps that import FastResponse: the platform's
 * Response costs about as much to build as a whole raw `node:http` request.
 *
 * What stays as with the platform's classes: `instanceof Response` and
 * `instanceof Request` hold for native and light objects alike,
 * `Response.json`/`redirect`/`error`, `clone()`, stream and blob bodies (they
 * go to the platform's class at once), and `structuredClone` refusing them
 * where the platform does. What differs: header names and values are
 * checked when the response is written, not when it is built.
 *
 * Installed by `useFastGlobals()`, counted, and put back when the last user
 * releases them (a server that closes).
 */
import { LazyBody } from './lazy-request.js';
import { NativeRequest, NativeResponse } from './natives.js';
import { FastResponse } from './response.js';

/** The global `Request` while the fast globals are on: the platform's, unwrapping lazy requests. */
class FastGlobalRequest extends NativeRequest {
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this === FastGlobalRequest) return value instanceof NativeRequest;
    return Object.prototype.isPrototypeOf.call(this.prototype, value as object);
  }

  constructor(input: RequestInfo | URL, init?: RequestInit) {
    // The platform reads a Request input through its own private state, which a lazy request builds on demand.
    super(input instanceof LazyBody ? input.native : input, init);
  }
}
Object.defineProperty(FastGlobalRequest, 'name', { value: 'Request' });

let users = 0;

/** True while the global Request and Response are the fast ones. */
export function fastGlobalsOn(): boolean {
  return globalThis.Response === FastResponse;
}

/**
 * Puts the fast globals in place (if another copy of core did already, its
 * classes stay) and returns a function that releases them: the platform's
 * classes come back when every user has released.
 */
export function useFastGlobals(): () => void {
  if (users++ === 0 && globalThis.Response === NativeResponse) {
    globalThis.Response = FastResponse;
    globalThis.Request = FastGlobalRequest as typeof Request;
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    if (--users === 0 && globalThis.Response === FastResponse) {
      globalThis.Response = NativeResponse;
      globalThis.Request = NativeRequest;
    }
  };
}
