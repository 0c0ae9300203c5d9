/**
 * `switchyard serve --watch`: watches the app's folder (and below, but not
 * node_modules or dot-folders) and calls `onChange` once a burst of writes
 * to source files has settled. The CLI then reloads as on SIGHUP: a rolling
 * restart under cluster, new threads under pool, a checked restart of the
 * server under reactor. An app that no longer loads keeps the old one
 * serving, and its error is printed.
 */
import { watch, type FSWatcher } from 'node:fs';
import { dirname, sep } from 'node:path';

const SOURCE = /\.(?:[cm]?[jt]sx?|json)$/;
/** Editors write a file in several steps; one reload per save. */
const SETTLE_MS = 150;

/** Whether a change to `relative` (to the watched folder) should reload. */
export function isWatchedSource(relative: string): boolean {
  const parts = relative.split(/[\\/]/);
  if (parts.some((part) => part === 'node_modules' || part.startsWith('.'))) return false;
  return SOURCE.test(relative);
}

export function watchApp(appFile: string, onChange: (file: string) => void): FSWatcher {
  const root = dirname(appFile);
  let timer: NodeJS.Timeout | undefined;
  let changed = '';
  const watcher = watch(root, { recursive: true }, (_event, name) => {
    if (name === null || !isWatchedSource(String(name))) return;
    changed = `${root}${sep}${String(name)}`;
    clearTimeout(timer);
    timer = setTimeout(() => onChange(changed), SETTLE_MS);
  });
  watcher.unref();
  return watcher;
}
