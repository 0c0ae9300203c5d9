/**
 * Load and latency tools the soak and deploy benches share: wrk or
 * autocannon for the load, an open-loop probe on fresh connections for the
 * latency a newcomer request sees, and percentiles of what it saw.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { request } from 'node:http';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export function percentile(sorted, p) {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN;
}

/** wrk as a child, with the open-file limit raised for thousands of connections. */
export async function wrk(port, path, connections, seconds) {
  const command = `ulimit -n 65535 2>/dev/null || ulimit -n $(ulimit -Hn); exec wrk -t2 -c${connections} -d${seconds}s --timeout 2s http://127.0.0.1:${port}${path}`;
  const child = spawn('bash', ['-c', command], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  child.stderr.on('data', (chunk) => (out += chunk));
  await once(child, 'exit');
  const total = Number(/(\d+) requests in/.exec(out)?.[1] ?? NaN);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
  const timeouts = Number(/timeout (\d+)/.exec(out)?.[1] ?? 0);
  if (Number.isNaN(total)) throw new Error(`wrk gave no figures: ${out}`);
  return { ok: total - non2xx, non2xx, timeouts, okPerSecond: (total - non2xx) / seconds };
}

/** autocannon in this process, where wrk is not installed (it generates less load per core). */
export async function autocannon(port, path, connections, seconds) {
  const run = createRequire(import.meta.url)('autocannon');
  const result = await run({ url: `http://127.0.0.1:${port}${path}`, connections, duration: seconds, timeout: 2 });
  const ok = result['2xx'];
  return { ok, non2xx: result.non2xx, timeouts: result.timeouts, okPerSecond: ok / seconds };
}
/** A port nothing listens on now. */
/**
 * A port free now, for a server started next. Taken below Linux's default
 * range of ports for outgoing connections (32768-60999) where one is free:
 * a port from that range can be taken meanwhile by a client's connection,
 * and a flood of 2,000 reconnecting clients makes that likely.
 */
export async function freePort() {
  for (let tries = 0; tries < 20; tries++) {
    const port = await listenable(20_000 + Math.floor(Math.random() * 12_000));
    if (port !== undefined) return port;
  }
  return listenable(0);
}

/** `port` (0: any) once it was listened on and closed again; undefined when it was taken. */
async function listenable(port) {
  const server = createServer();
  try {
    server.listen(port, '127.0.0.1');
    await once(server, 'listening');
  } catch {
    return undefined;
  }
  const address = server.address().port;
  await new Promise((resolve) => server.close(resolve));
  return address;
}

/** Sends GET `path` on a fresh connection every `everyMs` until stopped; each sample is timed from its scheduled send. */
export function startProbe(port, path, everyMs) {
  const samples = [];
  let stopped = false;
  const started = performance.now();
  const loop = (async () => {
    for (let i = 0; !stopped; i++) {
      const scheduled = started + i * everyMs;
      await sleep(Math.max(0, scheduled - performance.now()));
      const sample = { at: scheduled, ms: NaN, ok: false };
      samples.push(sample);
      const req = request({ port, host: '127.0.0.1', path, agent: false, timeout: 10_000 }, (res) => {
        res.resume().on('end', () => {
          sample.ms = performance.now() - scheduled;
          sample.ok = res.statusCode === 200;
        });
      });
      req.on('timeout', () => req.destroy());
      req.on('error', () => (sample.ms = performance.now() - scheduled));
      req.end();
    }
  })();
  return {
    samples,
    async stop() {
      stopped = true;
      await loop;
      await sleep(2_000);
    },
  };
}

export function summarize(samples, from, to) {
  const window = samples.filter((s) => s.at >= from && s.at < to);
  const answered = window
    .filter((s) => s.ok)
    .map((s) => s.ms)
    .sort((a, b) => a - b);
  // An unanswered probe counts at its age so far: a lower bound of its wait.
  const all = window.map((s) => (Number.isNaN(s.ms) ? performance.now() - s.at : s.ms)).sort((a, b) => a - b);
  return { probes: window.length, failed: window.length - answered.length, p50Ms: percentile(all, 50), p99Ms: percentile(all, 99) };
}
