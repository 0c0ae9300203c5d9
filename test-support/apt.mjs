/**
 * Installs Debian packages for tests and benches on a fresh machine, as
 * root or through passwordless sudo. Test projects run in parallel and
 * each may need a package, so installs take turns under one file lock
 * (flock), and each checks again, under the lock, what is still missing:
 * two apt-get runs at once would fight over dpkg's lock.
 */
import { execFileSync, spawnSync } from 'node:child_process';

const LOCK = '/tmp/switchyard-apt.lock';

/** The path of `command` on PATH, or undefined. */
export function which(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).stdout.trim() || undefined;
}

export function installPackages(packages) {
  const names = packages.join(' ');
  // Installed means "install ok installed": a removed package keeps its config files, and dpkg -s still knows it.
  const installed = `dpkg-query -W -f='\${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'`;
  const install = `missing=""; for p in ${names}; do ${installed} || missing="$missing $p"; done; [ -z "$missing" ] || { apt-get update && apt-get install -y $missing; }`;
  const locked = ['flock', LOCK, 'sh', '-c', install];
  const [command, ...args] = process.getuid?.() === 0 ? locked : ['sudo', '-n', ...locked];
  try {
    execFileSync(command, args, {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error) {
    const stderr = String(error?.stderr ?? '').trim();
    throw new Error(`This needs the Debian packages ${names}; installing them failed (run as root or with passwordless sudo):\n${stderr}`);
  }
}
