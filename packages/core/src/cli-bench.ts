/**
 * `switchyard bench ...`: hands the command line to `@switchyard/bench`,
 * loaded by name at run time like a backend, so core never depends on it.
 * Everything after `bench` (flags, usage, exit code) is the bench's.
 */
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageNotInstalled } from './errors.js';
import { appUrl } from './load-app.js';
import { importInstalled, type InstallPlace } from './resolve-package.js';

export const BENCH_PACKAGE = '@switchyard/bench';

/** What core needs of the bench package. */
interface BenchModule {
  runBenchCommand?: (argv: string[], io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream }) => Promise<number>;
}

/**
 * Where the bench is looked for: the working directory and the app's
 * directory (the user's project), then beside core itself (a global or
 * `npx -p` install, where packages sit side by side).
 */
function places(argv: string[]): InstallPlace[] {
  const found: InstallPlace[] = [process.cwd()];
  // `switchyard bench <app> ...`: the app comes first.
  const app = argv[0];
  if (app !== undefined && !app.startsWith('-')) {
    const url = appUrl(app);
    if (url.protocol === 'file:') found.push(dirname(fileURLToPath(url)));
  }
  found.push(new URL(import.meta.url));
  return found;
}

/** Runs the bench command and resolves with its exit code. */
export async function benchCommand(argv: string[]): Promise<number> {
  const bench = await importInstalled<BenchModule>(BENCH_PACKAGE, places(argv));
  if (!bench) throw packageNotInstalled(BENCH_PACKAGE, 'The "switchyard bench" command');
  if (typeof bench.runBenchCommand !== 'function') {
    throw packageNotInstalled(`${BENCH_PACKAGE}@latest`, `The "switchyard bench" command (the installed ${BENCH_PACKAGE} is too old to have it)`);
  }
  return bench.runBenchCommand(argv, { stdout: process.stdout, stderr: process.stderr });
}
