/**
 * Load generators behind one interface:
 *   run(url, { duration, connections }) -> { rps, requests, seconds, p50Ms, p99Ms, errors, non2xx }
 *
 * wrk is preferred: one C thread that disturbs a small (2-core) server the
 * least. autocannon runs in this process through its programmatic API and
 * needs no system package, so it is the fallback.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

function which(command) {
  const found = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : undefined;
}

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

/**
 * Picks the generator. `requested` is 'wrk', 'autocannon' or 'auto' (wrk if
 * present or installable, else autocannon). Asking for wrk explicitly and not
 * getting it is an error rather than a silent switch.
 */
export function resolveGenerator(requested = 'auto', { install = true, log = console.error } = {}) {
  if (requested === 'autocannon') return autocannonGenerator();
  if (requested !== 'wrk' && requested !== 'auto') {
    throw new TypeError(`--generator must be one of wrk, autocannon, auto (got ${JSON.stringify(requested)})`);
  }
  let path = which('wrk');
  if (!path && install && installWrk(log)) path = which('wrk');
  if (path) return wrkGenerator(path);
  if (requested === 'wrk') throw new Error('wrk is not installed and could not be installed (run as root with apt-get, or use --generator autocannon)');
  log('wrk is not available: falling back to autocannon (it shares the machine with the server, so absolute figures run lower)');
  return autocannonGenerator();
}

function wrkGenerator(path) {
  const probe = spawnSync(path, ['-v'], { encoding: 'utf8' });
  const version = `${probe.stdout}${probe.stderr}`.split('\n')[0].replace(/ Copyright.*$/, '').trim();
  return {
    name: 'wrk',
    version,
    describe: ({ connections }) => `wrk -t1 -c${connections} --latency (keep-alive)`,
    run(url, { duration, connections }) {
      return new Promise((resolve, reject) => {
        const args = ['-t1', `-c${connections}`, `-d${duration}s`, '--latency', `${url}/`];
        const child = spawn(path, args, { stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        child.stdout.on('data', (chunk) => (out += chunk));
        child.stderr.on('data', (chunk) => (out += chunk));
        child.on('error', reject);
        child.on('close', (code) => {
          if (code !== 0) return reject(new Error(`wrk exited with ${code}:\n${out}`));
          try {
            resolve(parseWrk(out));
          } catch (error) {
            reject(error);
          }
        });
      });
    },
  };
}

const UNIT_MS = { us: 0.001, ms: 1, s: 1000, m: 60_000 };

function toMs(value, unit) {
  return Number(value) * UNIT_MS[unit];
}

/** Parses `wrk --latency` output. */
export function parseWrk(out) {
  const total = /(\d+) requests in ([\d.]+)(us|ms|s|m),/.exec(out);
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(out);
  if (!total || !rps) throw new Error(`could not read wrk output:\n${out}`);
  const percentile = (p) => {
    const m = new RegExp(`^\\s+${p}%\\s+([\\d.]+)(us|ms|s|m)\\s*$`, 'm').exec(out);
    return m ? toMs(m[1], m[2]) : Number.NaN;
  };
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const socketErrors = socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0;
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
  return {
    rps: Number(rps[1]),
    requests: Number(total[1]),
    seconds: toMs(total[2], total[3]) / 1000,
    p50Ms: percentile(50),
    p99Ms: percentile(99),
    errors: socketErrors + non2xx,
    non2xx,
  };
}

function autocannonGenerator() {
  const autocannon = require('autocannon');
  const { version } = require('autocannon/package.json');
  return {
    name: 'autocannon',
    version: `autocannon ${version}`,
    describe: ({ connections }) => `autocannon -c ${connections} (programmatic, in the runner process, keep-alive)`,
    async run(url, { duration, connections }) {
      const result = await autocannon({ url: `${url}/`, connections, duration, pipelining: 1 });
      const seconds = (result.finish - result.start) / 1000;
      return {
        rps: result.requests.total / seconds,
        requests: result.requests.total,
        seconds,
        p50Ms: result.latency.p50,
        p99Ms: result.latency.p99,
        errors: result.errors + result.timeouts + result.non2xx,
        non2xx: result.non2xx,
      };
    },
  };
}
