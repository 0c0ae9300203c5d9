/**
 * CPU pinning with `taskset`: the servers on some CPUs, the generator on
 * others. On a small machine the kernel otherwise moves server and
 * generator across the same cores, and one server's req/s can swing by
 * several times between back-to-back runs.
 */
import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { invalidOption } from '@switchyard/core';
import { which } from '../load/which.js';

export interface Pinning {
  /** The path of taskset. */
  taskset: string;
  /** `taskset -c` lists. */
  server: string;
  generator: string;
}

/** The CPUs of a `taskset -c` list. */
export function cpuList(list: string): number[] {
  return list.split(',').flatMap((part) => {
    const [from, to = from] = part.split('-').map(Number) as [number, number?];
    return Array.from({ length: to! - from + 1 }, (_, i) => from + i);
  });
}

/**
 * Whether the run can pin as asked: `{ pinning }` when it can; otherwise a
 * `note` saying why not (or, when pinning is `required`, an error).
 */
export function planPinning(asked: { server: string; generator: string; required: boolean }): { pinning?: Pinning; note?: string } {
  const taskset = which('taskset');
  const cores = availableParallelism();
  const highest = Math.max(...cpuList(asked.server), ...cpuList(asked.generator));
  const why = !taskset
    ? 'taskset is not installed (util-linux)'
    : highest >= cores
      ? `this machine has ${cores} CPU(s), and the pinning asks for CPU ${highest}`
      : undefined;
  if (why === undefined) return { pinning: { taskset: taskset!, server: asked.server, generator: asked.generator } };
  if (asked.required) throw invalidOption('pin', `"auto" or false here: ${why}`, asked);
  return {
    note: `servers and generator not pinned to separate CPUs: ${why}; the kernel may move them across the same cores, so figures move more between runs`,
  };
}

/** Pins every thread of process `pid` to `cpus`; returns a function that puts back its previous CPUs. */
export function pinProcess(taskset: string, cpus: string, pid = process.pid): () => void {
  const before = /list:\s*(\S+)/.exec(execFileSync(taskset, ['-c', '-p', String(pid)], { encoding: 'utf8' }))?.[1];
  execFileSync(taskset, ['-a', '-c', '-p', cpus, String(pid)], { stdio: 'ignore' });
  return () => {
    if (before === undefined) return;
    try {
      execFileSync(taskset, ['-a', '-c', '-p', before, String(pid)], { stdio: 'ignore' });
    } catch {}
  };
}
