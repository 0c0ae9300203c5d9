import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/**
 * Packing the workspace the way a release does, for tests that install the
 * tarballs into a fresh project outside it with npm.
 */
export const run = promisify(execFile);
export const workspace = fileURLToPath(new URL('../../../..', import.meta.url));

/** Every package that is published, with its manifest. */
export const published = readdirSync(join(workspace, 'packages'))
  .map((name) => join(workspace, 'packages', name))
  .filter((dir) => existsSync(join(dir, 'package.json')))
  .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string; private?: boolean } }))
  .filter(({ manifest }) => manifest.private !== true);

// Without the workspace's npm_* settings and NODE_PATH (pnpm's bin shims point
// it at every hoisted workspace package), a project sees only its own deps.
export const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_|^NODE_PATH$/i.test(key)));
export const execOptions = { env: cleanEnv, timeout: 90_000, maxBuffer: 16 * 1024 * 1024 };

/** Packs every published package into `dir`; resolves with the tarballs' paths. */
export async function packAll(dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  for (const { dir: packageDir } of published) {
    await run('npx', ['-y', 'pnpm@10.34.8', 'pack', '--pack-destination', dir], { ...execOptions, cwd: packageDir });
  }
  const files = readdirSync(dir).filter((file) => file.endsWith('.tgz'));
  if (files.length !== published.length) throw new Error(`packed ${files.length} tarballs for ${published.length} packages`);
  return files.map((file) => join(dir, file));
}
