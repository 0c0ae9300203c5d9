/**
 * Finds an optional package (a backend, the bench) where a user installed
 * it. Resolution goes through `createRequire`, which walks each place's
 * `node_modules` chain the way Node does, so strict layouts (pnpm) and
 * global installs both work.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Where to look: a directory, or a module's URL (e.g. `import.meta.url`, to resolve as that module would). */
export type InstallPlace = string | URL;

function resolveIn(pkg: string, place: InstallPlace): string | undefined {
  const from = place instanceof URL ? place : join(place, 'noop.js');
  try {
    return createRequire(from).resolve(pkg);
  } catch (error) {
    // Only "not installed here" moves on; a broken package must say so.
    if ((error as NodeJS.ErrnoException)?.code === 'MODULE_NOT_FOUND') return undefined;
    throw error;
  }
}

/** Imports `pkg` from the first of `places` where it is installed; `undefined` when none has it. */
export async function importInstalled<T>(pkg: string, places: readonly InstallPlace[]): Promise<T | undefined> {
  for (const place of places) {
    const path = resolveIn(pkg, place);
    if (path !== undefined) return (await import(pathToFileURL(path).href)) as T;
  }
  return undefined;
}
