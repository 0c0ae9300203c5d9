import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadApp, type App } from '@switchyard/core';

/**
 * Loads the app in a pool thread, through tsx when the process was started
 * with it. On Node before 22.22, `--import tsx` registers tsx's hooks on the
 * main thread only, even when the thread gets the flag too, so a `.ts` app
 * fails to load in the threads. Then, and only then, the thread registers
 * tsx through its own API (`tsx/esm/api`, resolved from the working
 * directory, as `--import tsx` is) and tries again. The second try adds
 * a query to the URL: the module map keeps the first failure under the
 * plain one. The app still runs once, as the first try failed before
 * evaluating it.
 */
export async function loadAppInThread(app: string): Promise<App> {
  try {
    return await loadApp(app);
  } catch (error) {
    if ((error as { code?: string }).code !== 'ERR_APP_TYPESCRIPT' || !tsxPreloaded(process.execArgv)) throw error;
    const { register } = (await import(tsxApiUrl())) as { register(): unknown };
    register();
    const retry = new URL(app);
    retry.searchParams.set('tsx', '');
    return loadApp(retry);
  }
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
