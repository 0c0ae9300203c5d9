/** Where the suite finds the demo app and writes its results. */
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const DEMO_DIST = resolve(BENCH_ROOT, '../apps/demo/dist');
export const DEMO_APP = resolve(DEMO_DIST, 'app.js');
export const RAW_HANDLER = fileURLToPath(new URL('./raw-demo.mjs', import.meta.url));
export const RESULTS = resolve(BENCH_ROOT, 'results');

/** A path the user typed: relative to where they ran pnpm (INIT_CWD), not to bench/. */
export function userPath(path) {
  return isAbsolute(path) ? path : resolve(process.env.INIT_CWD ?? process.cwd(), path);
}

/** Fails with what to do when the demo has not been built. */
export function requireDemo() {
  for (const file of [DEMO_APP, resolve(DEMO_DIST, 'work/cpu.js'), resolve(DEMO_DIST, 'upstream/main.js')]) {
    if (!existsSync(file))
      throw new Error(`${file} is missing: build first (npx -y pnpm@10.34.8 build, or run the bench through \`npx -y pnpm@10.34.8 bench\`, which builds)`);
  }
}
