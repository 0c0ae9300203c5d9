// Reload benchmark: the cluster backend's zero-downtime figure. Starts a
// primary in a process of its own, drives bounded load at it (keep-alive
// clients that reuse one connection each, and as many clients that open a
// fresh connection per request), sends it three SIGHUPs (rolling restarts)
// spaced evenly over the run and a SIGTERM at the end, then prints how many
// requests succeeded and how the others failed, as a markdown table.
//
// Every client sends one request after another (every tenth one slow, so
// each drain finds work in flight), only to 127.0.0.1. The load stops
// issuing in the same tick as the SIGTERM: what was in flight then had been
// accepted and must be answered.
//
// Usage: node reload.mjs [--clients 8] [--seconds 15] [--workers 2]
//
// This file is also the app (loaded as `reload.mjs?role=app`) and the
// primary (`node reload.mjs --primary <workers>`).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { Agent, request } from 'node:http';
import { number, scriptFlags } from '../cli-kit.mjs';

const RELOADS = 3;

const HELP = `Usage: pnpm bench:cluster-reload [options]      (from bench/: node src/cluster/reload.mjs [options])

The cluster's rolling restarts under load: ${RELOADS} SIGHUPs spread over the run and a
SIGTERM at its end; how many requests succeeded, and how the others failed.

  --clients N         keep-alive clients, and as many opening a connection per request (default 8)
  --seconds S         length of the run (default 15)
  --workers N         processes (default 2)
  -h, --help          this help`;
const role = new URL(import.meta.url).searchParams.get('role');
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The app: `/pid?sleep=<ms>` answers the pid of the process that served it. */
export default {
  async fetch(request) {
    const url = new URL(request.url);
    if (url.pathname !== '/pid') return new Response('not found', { status: 404 });
    const ms = Number(url.searchParams.get('sleep') ?? 0);
    if (ms > 0) await sleep(ms);
    return new Response(String(process.pid));
  },
};

if (role === null) {
  if (process.argv[2] === '--primary') await primary(Number(process.argv[3]));
  else await main();
}

async function primary(workers) {
  const { serve } = await import('@switchyard/cluster');
  const app = new URL(import.meta.url);
  app.searchParams.set('role', 'app');
  const server = await serve({
    app,
    host: '127.0.0.1',
    port: 0,
    workers,
    signals: true,
    graceMs: 5_000,
    limits: { keepAliveTimeout: 1_000 },
    logger: { info: console.log, warn: console.error, error: console.error },
  });
  console.log(`listening ${server.url}`);
}

/** One GET; `agent: false` opens a fresh connection that closes after the response. */
function get(url, agent, timeoutMs = 10_000) {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode, body }));
      res.on('error', reject);
    });
    req.setTimeout(timeoutMs, () => req.destroy(Object.assign(new Error('client timeout'), { code: 'ETIMEDOUT' })));
    req.on('error', reject);
    req.end();
  });
}

async function main() {
  const { clients, seconds, workers } = scriptFlags(
    'bench:cluster-reload',
    {
      clients: { type: 'string', default: '8' },
      seconds: { type: 'string', default: '15' },
      workers: { type: 'string', default: '2' },
    },
    HELP,
    (values) => ({
      clients: number('clients', values.clients, { integer: true, min: 1 }),
      seconds: number('seconds', values.seconds, { above: true }),
      workers: number('workers', values.workers, { integer: true, min: 1 }),
    }),
  );

  const child = spawn(process.execPath, [new URL(import.meta.url).pathname, '--primary', String(workers)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = once(child, 'exit').then(([code, signal]) => code ?? signal);
  process.on('exit', () => child.exitCode === null && child.kill('SIGKILL'));

  /** Waits until the primary's output has `count` matches of `pattern`; returns the last. */
  async function waitFor(pattern, count = 1, timeoutMs = 30_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const matches = [...output.matchAll(new RegExp(pattern.source, 'g'))];
      if (matches.length >= count) return matches[count - 1];
      if (child.exitCode !== null || Date.now() > deadline) {
        throw new Error(`no ${count}x ${pattern} in the primary's output:\n${output}`);
      }
      await sleep(20);
    }
  }

  const [, base] = await waitFor(/listening (http:\S+)/);
  if (!new URL(base).hostname.startsWith('127.')) throw new Error(`primary not on 127.0.0.1: ${base}`);

  const result = { sent: 0, ok: 0, status: 0, reset: 0, other: {}, pids: new Set() };
  let stopped = false;
  const agents = Array.from({ length: clients }, () => new Agent({ keepAlive: true, maxSockets: 1 }));
  const loop = async (agent) => {
    for (let i = 0; !stopped; i++) {
      const ms = i % 10 === 0 ? 100 : i % 3;
      result.sent++;
      try {
        const reply = await get(`${base}/pid?sleep=${ms}`, agent);
        if (reply.status >= 200 && reply.status < 300 && /^\d+$/.test(reply.body)) {
          result.ok++;
          result.pids.add(reply.body);
        } else result.status++;
      } catch (error) {
        if (error.code === 'ECONNRESET') result.reset++;
        else {
          const key = error.code ?? error.message;
          result.other[key] = (result.other[key] ?? 0) + 1;
        }
      }
    }
  };
  const started = Date.now();
  const loops = [...agents, ...agents.map(() => false)].map(loop);

  // Reloads at 1/4, 2/4 and 3/4 of the run, each after the previous one finished.
  let reloads = 0;
  for (let reload = 1; reload <= RELOADS; reload++) {
    await sleep(Math.max(0, started + (seconds * 1000 * reload) / (RELOADS + 1) - Date.now()));
    child.kill('SIGHUP');
    await waitFor(/rolling restart done/, reload);
    reloads++;
  }
  await sleep(Math.max(0, started + seconds * 1000 - Date.now()));
  // Stop issuing and signal in the same tick.
  stopped = true;
  child.kill('SIGTERM');
  await Promise.all(loops);
  const elapsed = (Date.now() - started) / 1000;
  for (const agent of agents) agent.destroy();
  const timeout = sleep(30_000).then(() => 'timeout');
  const exitCode = await Promise.race([exited, timeout]);

  const failed = result.sent - result.ok;
  const others = Object.entries(result.other);
  const otherCount = others.reduce((sum, [, n]) => sum + n, 0);
  const share = result.sent ? (100 * result.ok) / result.sent : 0;
  const rows = [
    ['requests sent', result.sent],
    ['succeeded', result.ok],
    ['failed', failed],
    ['– non-2xx', result.status],
    ['– ECONNRESET', result.reset],
    ['– other errors', others.length ? `${otherCount} (${others.map(([k, n]) => `${k}: ${n}`).join(', ')})` : 0],
    ['success %', `${share.toFixed(3)} %`],
    ['reloads completed', `${reloads} of ${RELOADS}`],
    ['distinct worker pids seen', result.pids.size],
    ['primary exit code', exitCode],
  ];
  console.log(
    `\n${workers} processes, ${clients} keep-alive + ${clients} fresh-connection clients, ` + `${elapsed.toFixed(1)} s, ${RELOADS} SIGHUP + SIGTERM\n`,
  );
  console.log('| metric | value |\n| --- | ---: |');
  for (const [metric, value] of rows) console.log(`| ${metric} | ${value} |`);
  const pass = share >= 99.9 && result.reset === 0 && exitCode === 0;
  console.log(`\ntarget >= 99.9 % success, no ECONNRESET, exit 0: ${pass ? 'met' : 'NOT met'}`);
  process.exitCode = pass ? 0 : 1;
}
