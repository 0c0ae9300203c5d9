/**
 * Stops the server when the package manager that started it goes away.
 * `npx switchyard serve`, `npm start` or `pnpm start` put a launcher (and
 * often a shell) between the user and this process, and killing the
 * launcher's PID (what a script or process manager holds) does not reach
 * this process. So, when started by a package manager (it sets `npm_*`
 * variables), this process finds its launch chain, the ancestors up to and
 * including the first one not started by a package manager, and stops as on
 * SIGTERM once any of them has exited. A server started directly (systemd,
 * `exec` in a container, `nohup`) watches nothing: its parent may come and
 * go as it pleases.
 */
import { readFileSync } from 'node:fs';

const POLL_MS = 500;
/** Bounds the walk up the process tree. */
const MAX_DEPTH = 8;

/** Whether `env` says a package manager (npm, npx, pnpm, yarn) started this process. */
export function startedByPackageManager(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.npm_execpath !== undefined || env.npm_command !== undefined || env.npm_lifecycle_event !== undefined;
}

/** The launch chain's pids, nearest first. Without /proc (not Linux), only the parent. */
export function launchChain(pid = process.pid): number[] {
  const chain: number[] = [];
  let current = pid;
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    const parent = parentOf(current);
    if (parent === undefined) return chain.length > 0 ? chain : [process.ppid];
    if (parent <= 1) return chain;
    chain.push(parent);
    if (!startedByPackageManager(environOf(parent))) return chain;
    current = parent;
  }
  return chain;
}

/**
 * Calls `onGone` once, when a process of the launch chain has exited.
 * Returns a function that stops watching. Does nothing unless a package
 * manager started this process.
 */
export function watchLauncher(onGone: (pid: number) => void): () => void {
  if (!startedByPackageManager()) return () => {};
  const chain = launchChain();
  if (chain.length === 0) return () => {};
  const timer = setInterval(() => {
    const gone = chain.find((pid) => !alive(pid));
    if (gone === undefined) return;
    clearInterval(timer);
    onGone(gone);
  }, POLL_MS);
  timer.unref();
  return () => clearInterval(timer);
}

function parentOf(pid: number): number | undefined {
  try {
    // The command name, in parentheses, may hold spaces: the fields after it are fixed.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

function environOf(pid: number): NodeJS.ProcessEnv {
  try {
    const env: NodeJS.ProcessEnv = {};
    for (const entry of readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0')) {
      const eq = entry.indexOf('=');
      if (eq > 0) env[entry.slice(0, eq)] = entry.slice(eq + 1);
    }
    return env;
  } catch {
    // Unreadable (another user's process): not ours to watch past.
    return {};
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
