#!/usr/bin/env node
/**
 * `pnpm bench:routing`: routing by kind of work across instances, the deploy
 * guide's docs/deploy/nginx-routing.conf, against either instance alone.
 * The demo runs as a reactor instance and a pool instance; nginx sends
 * /cpu to the pool and the rest to the reactor ("routed"), or everything
 * to one of them ("reactor alone", "pool alone"). The load is mixed: wrk
 * (or autocannon) keeps `--connections` requests of /cpu?ms=<cpu-ms> in
 * flight while a probe sends GET /hello every 10 ms on a fresh connection.
 * Reported: /cpu req/s, and the probe's p50 and p99, with ratios to the
 * reactor alone, measured in the same run.
 */
import { commandFlags, GENERATOR_CHOICES, loadFlags, number, pickGenerator, runAsScript } from '../cli-kit.mjs';
import { autocannon, sleep, startProbe, summarize, wrk } from '../load-kit.mjs';
import { startInstance } from './instance.mjs';
import { ensureNginx, guideConfig, runNginx } from './nginx.mjs';

const PROBE_EVERY_MS = 10;

async function measure(nginxPort, { seconds, connections, cpuMs, load }) {
  const probe = startProbe(nginxPort, '/hello', PROBE_EVERY_MS);
  await sleep(500);
  const from = performance.now();
  const cpu = await load(nginxPort, `/cpu?ms=${cpuMs}`, connections, seconds);
  const to = performance.now();
  await probe.stop();
  return { cpuPerSecond: cpu.okPerSecond, cpuFailed: cpu.non2xx + cpu.timeouts, hello: summarize(probe.samples, from, to) };
}

const fmt = (n, digits = 0) => (Number.isNaN(n) ? 'n/a' : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }));

const HELP = `Usage: pnpm bench:routing [options]      (from bench/: node src/deploy/routing.mjs [options])

The deploy guide's nginx routing (/cpu to a pool instance, the rest to a reactor
instance) against either instance alone, under /cpu load with a /hello probe.

  --duration S        seconds of load per setup (default 10; 1 with --quick)
  --quick             a short run that measures nothing
  --connections N     /cpu requests in flight (default 16)
  --cpu-ms N          each /cpu request's work in ms (default 20)
  --workers N         the pool instance's threads (default 2)
  --generator NAME    ${GENERATOR_CHOICES.join(', ')} (default auto: wrk when installed)
  -h, --help          this help`;

export async function main(argv = process.argv.slice(2), print = (text) => process.stdout.write(text)) {
  const values = commandFlags(
    argv,
    {
      quick: { type: 'boolean' },
      duration: { type: 'string' },
      connections: { type: 'string', default: '16' },
      'cpu-ms': { type: 'string', default: '20' },
      workers: { type: 'string', default: '2' },
      generator: { type: 'string', default: 'auto' },
    },
    HELP,
    print,
  );
  if (!values) return [];
  const generator = pickGenerator(loadFlags(values).generator, (line) => process.stderr.write(`${line}\n`), 'bench:routing');
  const settings = {
    seconds: number('duration', values.duration, { above: true }) ?? (values.quick ? 1 : 10),
    connections: number('connections', values.connections, { integer: true, min: 1 }),
    cpuMs: number('cpu-ms', values['cpu-ms'], { above: true }),
    load: generator === 'wrk' ? wrk : autocannon,
  };
  const workers = number('workers', values.workers, { integer: true, min: 1 });
  const nginx = ensureNginx();
  const reactor = await startInstance('dist/app.js', 'reactor', 1);
  const pool = await startInstance('dist/app.js', 'pool', workers);
  const setups = [
    ['reactor alone', [reactor.port, reactor.port]],
    ['pool alone', [pool.port, pool.port]],
    ['routed: /cpu to pool, the rest to reactor', [reactor.port, pool.port]],
  ];
  const rows = [];
  try {
    for (const [name, ports] of setups) {
      process.stderr.write(`routing: ${name}\n`);
      const proxy = await runNginx(nginx, (port) => guideConfig('nginx-routing.conf', ports, port));
      try {
        rows.push({ name, ...(await measure(proxy.port, settings)) });
      } finally {
        await proxy.stop();
      }
    }
  } finally {
    await Promise.all([reactor.stop(), pool.stop()]);
  }
  const [reference] = rows;
  const lines = [
    `The demo as a reactor instance and a pool instance (${values.workers} threads + express lane) behind nginx (docs/deploy/nginx-routing.conf); ${generator} keeps ${settings.connections} requests of /cpu?ms=${settings.cpuMs} in flight for ${settings.seconds} s while GET /hello goes every ${PROBE_EVERY_MS} ms on a fresh connection; Node ${process.versions.node}. Ratios are to "reactor alone" in this run.`,
    '',
    '| setup | /cpu req/s | × reactor alone | /cpu failed | /hello p50 | /hello p99 | p99 × reactor alone | /hello failed |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const row of rows) {
    lines.push(
      `| ${row.name} | ${fmt(row.cpuPerSecond)} | ${fmt(row.cpuPerSecond / reference.cpuPerSecond, 2)} | ${row.cpuFailed} | ${fmt(row.hello.p50Ms, 1)} ms | ${fmt(row.hello.p99Ms, 1)} ms | ${fmt(row.hello.p99Ms / reference.hello.p99Ms, 3)} | ${row.hello.failed} of ${row.hello.probes} |`,
    );
  }
  print(`${lines.join('\n')}\n`);
  return rows;
}

await runAsScript(import.meta.url, () => main(), HELP, 'bench:routing');
