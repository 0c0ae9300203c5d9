import { spawnSync } from 'node:child_process';
import { availableParallelism, cpus, freemem, loadavg, release, totalmem } from 'node:os';
import type { SystemInfo } from './types.js';

export function loadAverage(): number[] {
  return loadavg().map((n) => Number(n.toFixed(2)));
}

/** The machine the figures belong to. */
export function systemInfo(): SystemInfo {
  const list = cpus();
  return {
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    availableParallelism: availableParallelism(),
    memoryBytes: totalmem(),
    freeMemoryBytes: freemem(),
    platform: `${process.platform} ${process.arch}`,
    release: release(),
    node: process.version,
    v8: process.versions.v8,
    loadavgStart: loadAverage(),
  };
}

/** The hard open-file limit a child may raise itself to (`ulimit -Hn`); Infinity when unlimited or unknown. */
export function hardFdLimit(): number {
  if (process.platform === 'win32') return Number.POSITIVE_INFINITY;
  const out = spawnSync('/bin/sh', ['-c', 'ulimit -Hn'], { encoding: 'utf8' }).stdout?.trim();
  const n = Number(out);
  return Number.isFinite(n) && n > 0 ? n : Number.POSITIVE_INFINITY;
}
