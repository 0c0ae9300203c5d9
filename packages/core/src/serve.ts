import { backendNotInstalled } from './errors.js';
import { resolveBackend, resolveOptions } from './options.js';
import { importInstalled } from './resolve-package.js';
import type { BackendModule, BackendName, RunningServer, ServeByNameOptions } from './types.js';

/**
 * Imports `@switchyard/<backend>`: first as core's own dependency (a flat
 * node_modules), then from the working directory (the app's project, which
 * is where users install backends under strict layouts such as pnpm's).
 */
export async function loadBackend(backend: BackendName, cwd = process.cwd()): Promise<BackendModule> {
  const module = await importInstalled<BackendModule>(`@switchyard/${backend}`, [new URL(import.meta.url), cwd]);
  if (!module) throw backendNotInstalled(backend);
  return module;
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
