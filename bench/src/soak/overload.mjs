#!/usr/bin/env node
/**
 * `pnpm bench:overload`: each backend flooded past its capacity, with the
 * overload limits off (the defaults) and on, while a health probe is sent
 * every 100 ms on a fresh connection, as an orchestrator's would be.
 *
 *   cpu   wrk -c2000 on a route with 20 ms of synchronous work
 *   io    wrk -c5000 on a route that awaits a 200 ms timer
 *
 * `--connections N` and `--ms N` change the scenarios' connections and
 * per-request milliseconds.
 *
 * Limits `off` and `on` probe the app's own /healthz on the server's port;
 * `ops` has the limits on and probes the runner's readiness (`health`) on
 * the metrics port, a listener of its own (`metrics: <port>`): the
 * primary's under cluster, the main thread's under pool, the one event
 * loop's under the reactor.
 *
 * Per run: the probe's p99 and failures during the load; recovery, the time
 * from the end of the load to the first probe answered under 50 ms, and the
 * same for the app's /healthz on the server's port (with `ops`, a second
 * probe sent beside the first); the
 * load's answered (2xx) req/s against the same server at a modest
 * concurrency first (its best: `best c`); and, for cpu, how many requests
 * the app ran beyond those whose answer reached a client: work done for
 * clients that had gone (wrk gives up on a request after 2 s).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { commandFlags, GENERATOR_CHOICES, list, loadFlags, number, pickGenerator, runAsScript } from '../cli-kit.mjs';
import { autocannon, freePort, sleep, startProbe, summarize, wrk } from '../load-kit.mjs';

const SERVE = fileURLToPath(new URL('./serve.mjs', import.meta.url));
/** `ms`: each request's synchronous work (cpu) or wait (io), unless `--ms` says otherwise. */
const SCENARIOS = {
  cpu: { route: '/work', ms: 20, connections: 2000, best: 8 },
  io: { route: '/io', ms: 200, connections: 5000, best: 1000 },
};
/** The limits of the `on` runs: the loop may stay busy 50 ms. */
const PROTECTED = { limits: { maxEventLoopDelay: 50 } };
const PROBE_EVERY_MS = 100;
const RECOVERED_MS = 50;

async function measure(backend, scenarioName, protection, { seconds, workers, settleS, load, connections, ms }) {
  const scenario = { ...SCENARIOS[scenarioName], ...(connections && { connections }), ...(ms && { ms }) };
  scenario.path = `${scenario.route}?ms=${scenario.ms}`;
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-overload-'));
  const runsFile = join(dir, 'runs');
  writeFileSync(runsFile, '');
  const opsPort = protection === 'ops' ? await freePort() : undefined;
  const options = protection === 'on' ? PROTECTED : protection === 'ops' ? { ...PROTECTED, metrics: opsPort, health: true } : {};
  const env = { ...process.env, OVERLOAD_RUNS_FILE: runsFile, SOAK_SERVE_OPTIONS: JSON.stringify(options) };
  const child = spawn(
    'bash',
    ['-c', `ulimit -n 65535 2>/dev/null || ulimit -n $(ulimit -Hn); exec "${process.execPath}" "${SERVE}" ${backend} ${workers} ./overload-app.mjs`],
    { env, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  try {
    const [line] = await once(createInterface({ input: child.stdout }), 'line');
    const port = Number(line);
    const best = await load(port, scenario.path, Math.min(scenario.best, scenario.connections), Math.max(1, Math.round(seconds / 2)));
    await sleep(1_000);
    const runsBefore = statSync(runsFile).size;
    const appProbe = startProbe(port, '/healthz', PROBE_EVERY_MS);
    const probe = opsPort === undefined ? appProbe : startProbe(opsPort, '/readyz', PROBE_EVERY_MS);
    await sleep(1_000);
    const loadStart = performance.now();
    const flood = await load(port, scenario.path, scenario.connections, seconds);
    const loadEnd = performance.now();
    // Wall time, as the app notes each run's start: the generator has exited and its connections are closed.
    const loadGone = Date.now();
    await sleep(settleS * 1_000);
    await Promise.all([...new Set([probe, appProbe])].map((p) => p.stop()));
    const during = summarize(probe.samples, loadStart, loadEnd);
    const recoveredAt = (samples) => samples.find((s) => s.at >= loadEnd && s.ok && s.ms < RECOVERED_MS)?.at;
    const recovered = recoveredAt(probe.samples);
    const appRecovered = recoveredAt(appProbe.samples);
    const starts = readFileSync(runsFile, 'latin1').slice(runsBefore).split('\n').filter(Boolean).map(Number);
    return {
      backend,
      scenario: scenarioName,
      protection,
      bestOkPerSecond: best.okPerSecond,
      okPerSecond: flood.okPerSecond,
      ofBest: flood.okPerSecond / best.okPerSecond,
      non2xx: flood.non2xx,
      timeouts: flood.timeouts,
      probe: during,
      recoveryMs: recovered === undefined ? undefined : recovered - loadEnd,
      appRecoveryMs: appRecovered === undefined ? undefined : appRecovered - loadEnd,
      departedRuns: scenarioName === 'cpu' ? Math.max(0, starts.length - flood.ok) : undefined,
      startedAfterLoad: scenarioName === 'cpu' ? starts.filter((startedAt) => startedAt > loadGone).length : undefined,
    };
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
    rmSync(dir, { recursive: true, force: true });
  }
}

const fmt = (n, digits = 0) =>
  n === undefined || Number.isNaN(n) ? 'n/a' : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

const BACKENDS = ['reactor', 'pool', 'cluster'];
const PROTECTIONS = ['off', 'on', 'ops'];

const HELP = `Usage: pnpm bench:overload [options]      (from bench/: node src/soak/overload.mjs [options])

Each backend flooded past its capacity, limits off and on, while a health probe
runs every ${PROBE_EVERY_MS} ms on a fresh connection.

  --backends LIST     some of ${BACKENDS.join(', ')} (default: all)
  --scenarios LIST    some of ${Object.keys(SCENARIOS).join(', ')} (default: both)
  --protection LIST   some of ${PROTECTIONS.join(', ')}: limits off, on, or on with the probe on the metrics port (default: all)
  --duration S        seconds of flood per run (default 10)
  --settle S          seconds watched after the flood, for recovery (default 5)
  --workers N         threads or processes (default 2)
  --connections N     the flood's connections (default: the scenario's)
  --ms N              each request's work or wait in ms (default: the scenario's)
  --generator NAME    ${GENERATOR_CHOICES.join(', ')} (default auto: wrk when installed)
  -h, --help          this help`;

export async function main(argv = process.argv.slice(2), print = (text) => process.stdout.write(text)) {
  const values = commandFlags(
    argv,
    {
      backends: { type: 'string', default: BACKENDS.join(',') },
      scenarios: { type: 'string', default: Object.keys(SCENARIOS).join(',') },
      protection: { type: 'string', default: PROTECTIONS.join(',') },
      duration: { type: 'string', default: '10' },
      workers: { type: 'string', default: '2' },
      settle: { type: 'string', default: '5' },
      generator: { type: 'string', default: 'auto' },
      connections: { type: 'string' },
      ms: { type: 'string' },
    },
    HELP,
    print,
  );
  if (!values) return [];
  const backends = list('backends', values.backends, BACKENDS);
  const scenarios = list('scenarios', values.scenarios, Object.keys(SCENARIOS));
  const protections = list('protection', values.protection, PROTECTIONS);
  const generator = pickGenerator(loadFlags(values).generator, (line) => process.stderr.write(`${line}\n`), 'bench:overload');
  const settings = {
    seconds: number('duration', values.duration, { above: true }),
    workers: number('workers', values.workers, { integer: true, min: 1 }),
    settleS: number('settle', values.settle),
    load: generator === 'wrk' ? wrk : autocannon,
    connections: number('connections', values.connections, { integer: true, min: 1 }),
    ms: number('ms', values.ms, { above: true }),
  };
  const rows = [];
  for (const scenario of scenarios) {
    for (const backend of backends) {
      for (const protection of protections) {
        process.stderr.write(`overload: ${scenario} ${backend} limits ${protection}\n`);
        rows.push(await measure(backend, scenario, protection, settings));
      }
    }
  }
  const lines = [
    `Each backend flooded for ${settings.seconds} s with ${generator} (${settings.workers} workers${settings.connections ? `, ${settings.connections} connections` : ''}${settings.ms ? `, ${settings.ms} ms per request` : ''}; limits "on" and "ops": ${JSON.stringify(PROTECTED.limits)}), a health probe every ${PROBE_EVERY_MS} ms on a fresh connection (off, on: the app's GET /healthz on the server's port; ops: the runner's GET /readyz on the metrics port); Node ${process.versions.node}`,
    '',
    '| scenario | backend | limits | health p50 / p99 during | health failed | recovery | app port recovery | 2xx req/s | × best c | non-2xx | timeouts | ran beyond the 2xx | started after the load |',
    '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.scenario} | ${r.backend} | ${r.protection} | ${fmt(r.probe.p50Ms)} / ${fmt(r.probe.p99Ms)} ms | ${r.probe.failed} of ${r.probe.probes} | ${r.recoveryMs === undefined ? `> ${settings.settleS} s` : `${fmt(r.recoveryMs)} ms`} | ${r.appRecoveryMs === undefined ? `> ${settings.settleS} s` : `${fmt(r.appRecoveryMs)} ms`} | ${fmt(r.okPerSecond)} | ${fmt(r.ofBest, 2)} | ${fmt(r.non2xx)} | ${fmt(r.timeouts)} | ${r.departedRuns === undefined ? '' : fmt(r.departedRuns)} | ${r.startedAfterLoad === undefined ? '' : fmt(r.startedAfterLoad)} |`,
    );
  }
  print(`${lines.join('\n')}\n`);
  return rows;
}

await runAsScript(import.meta.url, () => main(), HELP, 'bench:overload');
