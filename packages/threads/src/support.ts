import { SwitchyardError } from '@switchyard/core';

/** Where Node's `reusePort` works: Linux 3.9+, FreeBSD 12+, Solaris 11.4, AIX 7.2.5 (Node's own list). */
const PLATFORMS = new Set(['linux', 'freebsd', 'sunos', 'aix']);

/**
 * Why this Node cannot give several listeners one port, or undefined when
 * it can: `server.listen({ reusePort })` came in Node 23.1 and 22.12, and
 * the kernel must share the port among them (SO_REUSEPORT).
 */
export function reusePortMissing(version = process.versions.node, platform: string = process.platform): string | undefined {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  if (!(major > 23 || (major === 23 && minor >= 1) || (major === 22 && minor >= 12))) {
    return `Node ${version} has no server.listen({ reusePort }) (it came in Node 22.12 and 23.1)`;
  }
  if (!PLATFORMS.has(platform)) return `Node on ${platform} does not share a port among listeners (reusePort works on Linux, FreeBSD, Solaris and AIX)`;
  return undefined;
}

export function reusePortUnsupported(why: string): SwitchyardError {
  return new SwitchyardError(
    'ERR_REUSEPORT_UNSUPPORTED',
    `The threads backend needs its threads to listen on one port together (reusePort): ${why}. Run the same app with --backend cluster, or on a newer Node.`,
  );
}
