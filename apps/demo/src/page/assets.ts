import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The page's files, next to `src/` and `dist/` alike. */
export const publicDir = fileURLToPath(new URL('../../public/', import.meta.url));

/** A file served from memory. */
export interface Asset {
  readonly body: Uint8Array<ArrayBuffer>;
  readonly type: string;
  /** A short content hash: the ETag, and the `?v=` that makes a URL safe to cache forever. */
  readonly hash: string;
}

const types: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
};

/**
 * Chart.js's browser build, from the demo's own node_modules: the page works
 * offline and no CDN is involved. Its `exports` map hides `dist/`, so find
 * the package through its main entry.
 */
function chartJsPath(): string {
  const main = createRequire(import.meta.url).resolve('chart.js');
  return join(dirname(main), 'chart.umd.min.js');
}

/** The files `/assets/` serves, by name. */
export const assetFiles: Record<string, string> = {
  'chart.js': chartJsPath(),
  'page.js': join(publicDir, 'page.js'),
  'page.css': join(publicDir, 'page.css'),
};

export async function loadAsset(path: string): Promise<Asset> {
  // Copied once into a plain Uint8Array: the type `BodyInit` accepts.
  const body = new Uint8Array(await readFile(path));
  const extension = path.slice(path.lastIndexOf('.'));
  return { body, type: types[extension] ?? 'application/octet-stream', hash: createHash('sha256').update(body).digest('base64url').slice(0, 16) };
}

/** Reads every asset once. */
export async function loadAssets(): Promise<Map<string, Asset>> {
  const entries = await Promise.all(Object.entries(assetFiles).map(async ([name, path]) => [name, await loadAsset(path)] as const));
  return new Map(entries);
}
