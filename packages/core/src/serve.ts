import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { backendNotInstalled } from './errors.js';
import { resolveBackend, resolveOptions } from './options.js';
import type { BackendModule, BackendName, RunningServer, ServeByNameOptions } from './types.js';

function isNotFound(error: unknown, pkg: string): boolean {
  const { code, message } = (error ?? {}) as { code?: string; message?: string };
  return (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && String(message).includes(pkg);
}

/**
 * Imports `@switchyard/<backend>`: first as core's own dependency (a flat
 * node_modules), then from the working directory (the app's project, which
 * is where users install backends under strict layouts such as pnpm's).
 */
export async function loadBackend(backend: BackendName, cwd = process.cwd()): Promise<BackendModule> {
  const pkg = `@switchyard/${backend}`;
  try {
    return (await import(pkg)) as BackendModule;
  } catch (error) {
    if (!isNotFound(error, pkg)) throw error;
  }
  let path: string;
  try {
    path = createRequire(join(cwd, 'noop.js')).resolve(pkg);
  } catch (error) {
    throw backendNotInstalled(backend, error);
  }
  return (await import(pathToFileURL(path).href)) as BackendModule;
}

/**
 * Runs an app under the backend named by `backend` (else env
 * `SWITCHYARD_BACKEND`, else `reactor`).
 */
export async function serve(options: ServeByNameOptions): Promise<RunningServer> {
  const backend = resolveBackend(options?.backend);
  // Validate here too, so a bad option fails the same way before any import.
  resolveOptions(options);
  const module = await loadBackend(backend);
  const { backend: _omit, ...rest } = options;
  return module.serve(rest);
}
