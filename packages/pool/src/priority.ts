/**
 * Lowers the calling thread's CPU priority. Linux keeps a nice value per
 * thread (setpriority(2), "Bugs"), and `/proc/thread-self` names the calling
 * thread, so a pool thread can step back without touching the main thread
 * or needing privileges (raising nice never does). Elsewhere nice is
 * per process, so this does nothing.
 */
import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/** Returns the nice value the thread now has, or undefined when it was left alone. */
export function lowerThreadPriority(increment: number): number | undefined {
  if (increment <= 0 || process.platform !== 'linux') return undefined;
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    const nice = Math.min(19, getPriority(tid) + increment);
    setPriority(tid, nice);
    return nice;
  } catch {
    // No /proc (a restricted container): run at the process's priority.
    return undefined;
  }
}
