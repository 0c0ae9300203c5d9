import { existsSync, readFileSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { appCommonJs, appInvalid, appNotFound, appTypeScript } from './errors.js';
import { registerTsxAfter } from './tsx-in-thread.js';
import type { App } from './types.js';

/** Turns the `app` option into a file URL, resolving relative paths from the working directory. */
export function appUrl(spec: string | URL): URL {
  if (spec instanceof URL) return spec;
  if (/^[a-z][a-z0-9+.-]*:/i.test(spec) && !/^[a-z]:[\\/]/i.test(spec)) return new URL(spec);
  return pathToFileURL(resolve(spec));
}

const TYPESCRIPT = new Set(['.ts', '.mts', '.cts']);
const TYPESCRIPT_FAILURES = new Set(['ERR_UNKNOWN_FILE_EXTENSION', 'ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX', 'ERR_UNSUPPORTED_NODE_MODULES_TYPE_STRIPPING']);

/**
 * Imports the app module and checks its default export. Runs in every
 * context (main thread, worker thread, child process) that serves traffic.
 * A CommonJS module works: `module.exports = { fetch }` is its default
 * export, and so is the `exports.default` that tsc emits for CommonJS.
 * In a worker thread preloading tsx where Node kept tsx's hooks to the
 * main thread, it registers tsx in the thread and tries again.
 */
export async function loadApp(spec: string | URL): Promise<App> {
  try {
    return await importApp(spec, appUrl(spec));
  } catch (error) {
    if (!(await registerTsxAfter(error))) throw error;
    // The module map keeps the first failure under the plain URL. The app still
    // runs once: the first try failed before evaluating it.
    const retry = new URL(appUrl(spec));
    retry.searchParams.set('tsx', '');
    return importApp(spec, retry);
  }
}

async function importApp(spec: string | URL, url: URL): Promise<App> {
  const where = url.protocol === 'file:' ? fileURLToPath(url) : url.href;
  if (url.protocol === 'file:' && !existsSync(where)) throw appNotFound(String(spec), where);
  let mod: Record<string, unknown>;
  try {
    mod = await import(url.href);
  } catch (error) {
    throw explainLoadFailure(spec, url, where, error);
  }
  const app = fromCommonJs(mod.default) as App | undefined;
  if (app === null || (typeof app !== 'object' && typeof app !== 'function') || typeof app.fetch !== 'function') {
    throw appInvalid(where, app);
  }
  return app;
}

/** tsc's CommonJS output puts the default export at `exports.default`, marked `__esModule`; Node's import() wraps all of `exports`. */
function fromCommonJs(exported: unknown): unknown {
  const wrapped = exported as { __esModule?: unknown; default?: unknown; fetch?: unknown } | null | undefined;
  if (wrapped && typeof wrapped === 'object' && wrapped.__esModule === true && wrapped.fetch === undefined && wrapped.default !== undefined) {
    return wrapped.default;
  }
  return exported;
}

/** Turns the errors a newcomer meets first (TypeScript, ESM syntax in CommonJS) into ones that say what to do. */
function explainLoadFailure(spec: string | URL, url: URL, where: string, error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ERR_MODULE_NOT_FOUND' && !existsSync(where)) return appNotFound(String(spec), where, error);
  if (url.protocol !== 'file:') return error;
  const extension = extname(where);
  if (TYPESCRIPT.has(extension) && code !== undefined && TYPESCRIPT_FAILURES.has(code)) return appTypeScript(where, error);
  if (error instanceof SyntaxError && (extension === '.js' || extension === '.ts') && /\b(export|import)\b/.test(error.message)) {
    const packageJson = nearestPackageJson(where);
    const type = packageType(packageJson);
    if (type !== 'module') return appCommonJs(where, packageJson, type, error);
  }
  return error;
}

function nearestPackageJson(file: string): string | undefined {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

function packageType(packageJson: string | undefined): string | undefined {
  if (packageJson === undefined) return undefined;
  try {
    return (JSON.parse(readFileSync(packageJson, 'utf8')) as { type?: string }).type;
  } catch {
    return undefined;
  }
}
