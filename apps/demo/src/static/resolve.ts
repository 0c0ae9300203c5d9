import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The directory `/files/` serves: `DEMO_FILES_DIR`, else the demo's own `files/`. */
export function filesRoot(): string {
  const configured = process.env.DEMO_FILES_DIR;
  return configured ? resolve(configured) : fileURLToPath(new URL('../../files', import.meta.url));
}

export interface OpenFile {
  name: string;
  handle: FileHandle;
  size: number;
  modified: Date;
}

/**
 * Turns the encoded name after `/files/` into a plain name in `root`, or
 * undefined for anything else. Only names directly in `root` are served:
 * separators (`/`, `\`, encoded or not), NUL, dot names and hidden files
 * never reach the file system. A malformed escape is refused, not guessed at.
 */
export function safeName(root: string, encoded: string): string | undefined {
  let name: string;
  try {
    name = decodeURIComponent(encoded);
  } catch {
    return undefined;
  }
  if (name === '' || name.startsWith('.') || /[/\\\0]/.test(name)) return undefined;
  // Belt and braces: the joined path must still sit directly in root.
  return dirname(join(root, name)) === root ? name : undefined;
}

// O_NOFOLLOW: a symbolic link placed in the directory cannot point outside it.
const FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0);

/**
 * Opens a regular file by its safe name; undefined when there is none
 * (missing, a directory, a link). Size and date come from the open handle,
 * so they describe the file actually read.
 */
export async function openFile(root: string, name: string): Promise<OpenFile | undefined> {
  let handle: FileHandle;
  try {
    handle = await open(join(root, name), FLAGS);
  } catch {
    return undefined;
  }
  const stats = await handle.stat().catch(() => undefined);
  if (!stats?.isFile()) {
    await handle.close();
    return undefined;
  }
  return { name, handle, size: stats.size, modified: stats.mtime };
}
