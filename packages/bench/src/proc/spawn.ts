/**
 * Starts a Node script as a child process with a raised open-file limit
 * (idle scenarios hold thousands of sockets) and waits for the one JSON
 * line it prints when ready.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { tapLines } from './tap-lines.js';

export interface NodeChild {
  child: ChildProcess;
  /** The first line the child printed, parsed. */
  ready: Record<string, unknown>;
  /** Resolves when the child has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface SpawnNodeOptions {
  env?: Record<string, string | undefined>;
  /** Open files to ask for; the hard limit caps it. */
  fdLimit?: number;
  cwd?: string;
  /** Milliseconds to wait for the ready line. Default 30000. */
  startTimeoutMs?: number;
  /** A command that runs node, e.g. `taskset -c 0`: it must exec, so the child's pid stays the server's. */
  prefix?: string[];
  /** Each further stdout or stderr line. */
  onLine?: (line: string) => void;
  /** Whether `onLine` wants stdout's lines now; while it does not, they are not cut out (see tap-lines.ts). Default: while there is an `onLine`. */
  wantsLines?: () => boolean;
  label: string;
}

// `ulimit -n` only raises the soft limit up to the hard one; asking for more fails, so fall back to the hard limit.
const RAISE = 'ulimit -n "$1" 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null; shift; exec "$@"';

export async function spawnNode(script: string, args: string[], options: SpawnNodeOptions): Promise<NodeChild> {
  const { label, startTimeoutMs = 30_000 } = options;
  const node = [...(options.prefix ?? []), process.execPath, script, ...args];
  const command = process.platform === 'win32' || !options.fdLimit ? node : ['/bin/sh', '-c', RAISE, 'sh', String(options.fdLimit), ...node];
  const child = spawn(command[0]!, command.slice(1), {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const stderr: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (line) => {
    if (stderr.length < 20) stderr.push(line);
    options.onLine?.(line);
  });
  // The first stdout line is the ready line; the rest go to onLine.
  let onStdoutLine: (line: string) => void = () => {};
  const wantsLines = options.wantsLines ?? (() => options.onLine !== undefined);
  let awaitingReady = true;
  tapLines(
    child.stdout!,
    (line) => onStdoutLine(line),
    () => awaitingReady || wantsLines(),
  );
  let timer: NodeJS.Timeout | undefined;
  try {
    const ready = await new Promise<Record<string, unknown>>((resolve, reject) => {
      onStdoutLine = (line) => {
        awaitingReady = false;
        onStdoutLine = (later) => options.onLine?.(later);
        try {
          resolve(JSON.parse(line) as Record<string, unknown>);
        } catch {
          reject(new Error(`${label}: expected a JSON line when ready, got ${JSON.stringify(line.slice(0, 200))}`));
        }
      };
      child.once('error', reject);
      void exited.then(({ code, signal }) => {
        // Give the stderr reader a moment, so the reason reaches the message.
        setTimeout(
          () => reject(new Error(`${label}: exited (${signal ?? code}) before it was ready${stderr.length ? `:\n  ${stderr.join('\n  ')}` : ''}`)),
          50,
        );
      });
      timer = setTimeout(() => reject(new Error(`${label}: not ready within ${startTimeoutMs} ms`)), startTimeoutMs);
    });
    return { child, ready, exited };
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** Asks a child to exit over IPC, then kills it if it has not within `graceMs`. */
export async function stopChild(handle: NodeChild, graceMs = 5_000): Promise<void> {
  const { child, exited } = handle;
  if (child.exitCode !== null || child.signalCode !== null) return;
  if (child.connected) child.send({ type: 'close' }, () => {});
  else child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(killer);
}
