import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Debian's chromium; CHROMIUM_PATH points elsewhere when a machine has it somewhere else. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The path of `command` on PATH, or undefined. */
export function which(command: string): string | undefined {
  return spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).stdout.trim() || undefined;
}

/** What the demo's tests need from the system that npm cannot install: Debian package names. */
export function missingPackages(): string[] {
  const missing: string[] = [];
  if (!existsSync(chromiumPath)) missing.push('chromium');
  if (!which('nginx')) missing.push('nginx');
  return missing;
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
    throw new Error(
      `The demo's tests need the Debian packages ${packages.join(', ')}; installing them failed (run as root or with passwordless sudo):\n${stderr}`,
    );
  }
}
