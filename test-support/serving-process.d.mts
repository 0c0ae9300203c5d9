import type { ChildProcess } from 'node:child_process';

export interface ServingProcess {
  readonly child: ChildProcess;
  /** The URL from the banner's first group. */
  readonly url: string;
  /** Everything it printed so far, stdout and stderr. */
  output(): string;
  /** Signals it (SIGTERM unless told) and resolves with its exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Spawns a server and resolves once its stdout matches `banner` (first group: the URL). */
export function startServing(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; banner: RegExp; killAfterMs?: number },
): Promise<ServingProcess>;
