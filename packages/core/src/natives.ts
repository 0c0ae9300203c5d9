/**
 * The platform's own `Request` and `Response`, captured before anything may
 * replace the globals (globals.ts). Kept on the global object under a
 * registered symbol, so a second copy of core loaded after the globals were
 * replaced still finds the real classes.
 */
import * as workerThreads from 'node:worker_threads';

interface Natives {
  readonly Request: typeof Request;
  readonly Response: typeof Response;
}

const KEY = Symbol.for('switchyard.natives');
const holder = globalThis as typeof globalThis & { [KEY]?: Natives };
const natives: Natives = (holder[KEY] ??= { Request: globalThis.Request, Response: globalThis.Response });

// Typed by name: the inferred types spell out lib "dom"'s `RequestInfo` and `BodyInit`, which @types/node lacks.
export const NativeRequest: typeof Request = natives.Request;
export const NativeResponse: typeof Response = natives.Response;

/**
 * Makes `structuredClone` refuse an object, as it refuses the platform's
 * Request and Response where it does (Node 22 and later); a no-op where the
 * platform has no such mark (Node 20, which clones them to `{}`).
 */
export const markUncloneable: (value: object) => void = (workerThreads as { markAsUncloneable?: (value: object) => void }).markAsUncloneable ?? (() => {});
