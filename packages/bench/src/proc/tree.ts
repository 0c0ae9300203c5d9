/**
 * CPU time and memory of a server's whole process tree, read from /proc
 * (Linux): a cluster's primary and its workers, a pool's threads (which
 * share their process's figures), and whatever else the server forked.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { TreeUsage } from '../types.js';

let ticksPerSecond: number | undefined;

/** `CLK_TCK`, the unit of utime/stime in /proc/<pid>/stat; 100 on every common Linux. */
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

export function procAvailable(): boolean {
  return process.platform === 'linux' && existsSync('/proc/self/stat');
}

/** The fields of /proc/<pid>/stat after the command name (which may hold spaces). */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** `pid` and its descendants that are alive now. */
export function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const parent = Number(statFields(Number(entry))?.[1]);
    if (!Number.isFinite(parent)) continue;
    const list = children.get(parent) ?? [];
    list.push(Number(entry));
    children.set(parent, list);
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]!) ?? []));
  return tree;
}

function statusKiB(status: string, field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  return match ? Number(match[1]) * 1024 : 0;
}

/**
 * Sums over `pids` (default: the tree under `root`, found afresh). CPU is
 * user + system time; peak RSS is each process's high-water mark (VmHWM),
 * summed, which can exceed the peak of the sum but never misses a process.
 */
export function treeUsage(root: number, pids = processTree(root)): TreeUsage {
  const tick = 1000 / clockTicks();
  let cpuMs = 0;
  let rssBytes = 0;
  let peakRssBytes = 0;
  let processes = 0;
  for (const pid of pids) {
    const fields = statFields(pid);
    if (!fields) continue;
    let status: string;
    try {
      status = readFileSync(`/proc/${pid}/status`, 'utf8');
    } catch {
      continue;
    }
    // utime and stime are fields 14 and 15 of stat; index 0 here is field 3.
    cpuMs += (Number(fields[11]) + Number(fields[12])) * tick;
    rssBytes += statusKiB(status, 'VmRSS');
    peakRssBytes += statusKiB(status, 'VmHWM');
    processes++;
  }
  return { cpuMs, rssBytes, peakRssBytes, processes, source: 'proc' };
}

/** The soft open-file limit of this process, from /proc/self/limits; undefined elsewhere. */
export function fdLimit(): number | undefined {
  try {
    const match = /^Max open files\s+(\d+|unlimited)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    if (!match) return undefined;
    return match[1] === 'unlimited' ? Number.POSITIVE_INFINITY : Number(match[1]);
  } catch {
    return undefined;
  }
}
