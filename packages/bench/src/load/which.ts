import { spawnSync } from 'node:child_process';

/** The path of `command` on PATH, or undefined. */
export function which(command: string): string | undefined {
  if (!/^[\w.-]+$/.test(command)) return undefined;
  const found = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  return found.status === 0 && found.stdout.trim() ? found.stdout.trim() : undefined;
}
