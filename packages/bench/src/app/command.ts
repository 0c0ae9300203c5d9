/**
 * `switchyard bench`, as the core CLI runs it: parses the flags, runs the
 * comparison, prints the report, and returns the exit status.
 */
import { USAGE } from './usage.js';
import { parseBenchArgs, UsageError } from './args.js';
import { benchApp } from './bench-app.js';
import { appReport } from './print.js';

/** Where the command writes: `process.stdout` and `process.stderr` in the CLI. */
export interface CommandIO {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

const isSwitchyardError = (error: unknown): error is Error & { code: string } => (error as Error | undefined)?.name === 'SwitchyardError';

/** Runs `switchyard bench <argv...>` and resolves with the exit status: 0 ok, 1 a route or the run failed, 2 a usage error. */
export async function runBenchCommand(argv: string[], io: CommandIO = process): Promise<number> {
  try {
    const { help, json, options } = parseBenchArgs(argv);
    if (help || !options) {
      io.stdout.write(USAGE);
      return 0;
    }
    const run = await benchApp({ ...options, log: (line) => io.stderr.write(`${line}\n`) });
    io.stdout.write(json ? `${JSON.stringify(run, null, 2)}\n` : appReport(options.app as string, run));
    return run.recommendation.routes.some((route) => route.status === 'failed') ? 1 : 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`switchyard bench: ${error.message}\nRun "switchyard bench --help" for usage.\n`);
      return 2;
    }
    // A bad value the engine caught (e.g. --generator wrk without wrk) is a usage error too.
    if (isSwitchyardError(error)) {
      io.stderr.write(`switchyard bench: ${error.message}\n`);
      return error.code === 'ERR_INVALID_OPTION' ? 2 : 1;
    }
    throw error;
  }
}
