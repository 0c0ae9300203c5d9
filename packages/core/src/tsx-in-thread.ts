import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isMainThread } from 'node:worker_threads';

/**
 * tsx in worker threads (pool threads, the threads backend's). On Node
 * before 22.22, `--import tsx` registers tsx's hooks on the main thread
 * only, even when a thread gets the flag too, so a `.ts` app fails to load
 * in the threads. Then, and only then, the thread registers tsx through its
 * own API (`tsx/esm/api`, resolved from the working directory, as
 * `--import tsx` is) and the app is loaded again.
 */
export async function registerTsxAfter(error: unknown): Promise<boolean> {
  if (isMainThread || (error as { code?: string }).code !== 'ERR_APP_TYPESCRIPT' || !tsxPreloaded(process.execArgv)) return false;
  const { register } = (await import(tsxApiUrl())) as { register(): unknown };
  register();
  return true;
}

/** `tsx/esm/api` as `import` resolves it from the working directory: require.resolve would pick its CommonJS build, which cannot register the ESM hooks from here. */
function tsxApiUrl(): string {
  const manifestPath = createRequire(join(process.cwd(), 'noop.js')).resolve('tsx/package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  return pathToFileURL(join(dirname(manifestPath), manifest.exports['./esm/api']!.import.default)).href;
}

/** Whether `execArgv` preloads tsx (`--import tsx`, `--import=tsx/esm`...). */
export function tsxPreloaded(execArgv: readonly string[]): boolean {
  return execArgv.some((flag, i) => {
    const value = flag === '--import' || flag === '--loader' ? execArgv[i + 1] : /^--(?:import|loader)=(.*)$/.exec(flag)?.[1];
    return value !== undefined && /^tsx(\/|$)/.test(value);
  });
}
