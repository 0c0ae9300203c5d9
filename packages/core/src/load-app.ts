import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { appInvalid, appNotFound } from './errors.js';
import type { App } from './types.js';

/** Turns the `app` option into a file URL, resolving relative paths from the working directory. */
export function appUrl(spec: string | URL): URL {
  if (spec instanceof URL) return spec;
  if (/^[a-z][a-z0-9+.-]*:/i.test(spec) && !/^[a-z]:[\\/]/i.test(spec)) return new URL(spec);
  return pathToFileURL(resolve(spec));
}

/**
 * Imports the app module and checks its default export. Runs in every
 * context (main thread, worker thread, child process) that serves traffic.
 */
export async function loadApp(spec: string | URL): Promise<App> {
  const url = appUrl(spec);
  const where = url.protocol === 'file:' ? fileURLToPath(url) : url.href;
  if (url.protocol === 'file:' && !existsSync(where)) throw appNotFound(String(spec), where);
  let mod: Record<string, unknown>;
  try {
    mod = await import(url.href);
  } catch (error) {
    if ((error as NodeJS.ErrnoException)?.code === 'ERR_MODULE_NOT_FOUND' && !existsSync(where)) {
      throw appNotFound(String(spec), where, error);
    }
    throw error;
  }
  const app = mod.default as App | undefined;
  if (app === null || (typeof app !== 'object' && typeof app !== 'function') || typeof app.fetch !== 'function') {
    throw appInvalid(where, app);
  }
  return app;
}
