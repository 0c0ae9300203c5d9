/**
 * The bridge runner's generators, on the comparison engine's: wrk is
 * preferred here (one C thread that disturbs a small server the least), and
 * installed with apt-get when missing and running as root; autocannon is
 * the fallback. Interface:
 *   run(url, { duration, connections }) -> { rps, requests, seconds, p50Ms, p99Ms, errors, non2xx }
 */
import { execFileSync } from 'node:child_process';
import { createGenerator, which } from '@switchyard/bench';

const TIMEOUT_S = 10;

/** Installs wrk with apt when running as root on a Debian-like machine; returns whether it is there now. */
function installWrk(log) {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0 || !which('apt-get')) return false;
  log('wrk not found: installing it with apt-get (root)...');
  try {
    execFileSync('sh', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk'], {
      stdio: ['ignore', 'ignore', 'inherit'],
      timeout: 180_000,
    });
  } catch (error) {
    log(`apt-get could not install wrk (${error.message.split('\n')[0]})`);
    return false;
  }
  return which('wrk') !== undefined;
}

/** GET / with the engine's generator, in the shape this runner reads. */
function adapt(generator) {
  return {
    name: generator.name,
    version: generator.version,
    describe: ({ connections }) => generator.describe({ connections, timeout: TIMEOUT_S }),
    async run(url, { duration, connections }) {
      const r = await generator.run(url, { path: '/' }, { duration, connections, timeout: TIMEOUT_S });
      return { rps: r.rps, requests: r.requests, seconds: r.seconds, p50Ms: r.p50Ms, p99Ms: r.p99Ms, errors: r.errors + r.timeouts + r.non2xx, non2xx: r.non2xx };
    },
  };
}

/**
 * Picks the generator. `requested` is 'wrk', 'autocannon' or 'auto' (wrk if
 * present or installable, else autocannon). Asking for wrk explicitly and not
 * getting it is an error rather than a silent switch.
 */
export function resolveGenerator(requested = 'auto', { install = true, log = console.error } = {}) {
  if (requested === 'autocannon') return adapt(createGenerator('autocannon'));
  if (requested !== 'wrk' && requested !== 'auto') {
    throw new TypeError(`--generator must be one of wrk, autocannon, auto (got ${JSON.stringify(requested)})`);
  }
  if (which('wrk') || (install && installWrk(log))) return adapt(createGenerator('wrk'));
  if (requested === 'wrk') throw new Error('wrk is not installed and could not be installed (run as root with apt-get, or use --generator autocannon)');
  log('wrk is not available: falling back to autocannon (it shares the machine with the server, so absolute figures run lower)');
  return adapt(createGenerator('autocannon'));
}
