import { execFileSync, spawnSync } from 'node:child_process';

/**
 * Debian packages that tests drive (nginx, chromium, redis-server), which
 * npm cannot install: tests install what is missing themselves, so a fresh
 * machine needs nothing beyond Node and npm.
 */

/** The path of `command` on PATH, or undefined. */
export function which(command: string): string | undefined {
  return spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).stdout.trim() || undefined;
}

/**
 * Installs Debian packages in one apt-get run, as root or through `sudo -n`
 * (one run, because two at once would fight over dpkg's lock).
 */
export function installPackages(packages: string[]): void {
  const script = `apt-get update && apt-get install -y ${packages.join(' ')}`;
  const [command, args] = process.getuid?.() === 0 ? ['sh', ['-c', script]] : ['sudo', ['-n', 'sh', '-c', script]];
  try {
    execFileSync(command, args, {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error) {
    const stderr = String((error as { stderr?: Buffer }).stderr ?? '').trim();
    throw new Error(`These tests need the Debian packages ${packages.join(', ')}; installing them failed (run as root or with passwordless sudo):\n${stderr}`);
  }
}
