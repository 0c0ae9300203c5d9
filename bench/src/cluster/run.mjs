/**
 * `pnpm bench:cluster`: the same app under raw node:http (one process), raw
 * node:cluster (N processes), the reactor (one) and the cluster backend
 * (N), in one run on the @switchyard/bench engine: hello world and a
 * CPU-bound route of about 2 ms (calibrated here), each server checked
 * before it is timed, warmed up, in a shuffled order each round, a fresh
 * process per model and round. Figures are medians over rounds, as req/s
 * over raw node:http's and over the reactor's in the same round; the peak
 * RSS is that of each server's whole process tree, summed.
 * Servers are not pinned by default: processes need the cores.
 */
import { runBench } from '@switchyard/bench';
import { finishReports, runAsScript, runSettings, writeJson } from '../cli-kit.mjs';
import { CLUSTER_HELP, parseClusterFlags } from './flags.mjs';
import { APP, calibrate, CLUSTER_SCENARIO_NAMES, clusterLineup, clusterScenarios, CONTENDER_NAMES, RAW_HANDLER } from './lineup.mjs';

/** `log` takes progress lines (default: stderr), `print` the markdown report (default: stdout). */
export async function main(
  argv = process.argv.slice(2),
  { log = (line) => process.stderr.write(`${line}\n`), print = (text) => process.stdout.write(text) } = {},
) {
  const flags = parseClusterFlags(argv);
  if (flags.help) return void console.log(CLUSTER_HELP);
  if (flags.list) return void console.log(`scenarios: ${CLUSTER_SCENARIO_NAMES.join(', ')}\ncontenders: ${CONTENDER_NAMES.join(', ')}`);

  const { settings } = runSettings(flags, log, 'cluster');
  const iterations = calibrate(flags.cpuMs);
  log(`cluster: /cpu runs ${iterations} iterations (~${flags.cpuMs} ms)`);
  const lineup = clusterLineup(flags.models, flags.processes);
  const result = await runBench({
    title: 'Switchyard cluster',
    app: APP,
    rawHandler: RAW_HANDLER,
    models: lineup.models,
    modelNotes: lineup.modelNotes,
    contenders: lineup.contenders,
    pairs: lineup.pairs,
    scenarios: clusterScenarios(flags.scenarios, { connections: flags.connections, iterations, cpuMs: flags.cpuMs }),
    env: { BENCH_CPU_ITERATIONS: String(iterations) },
    workers: flags.processes,
    ...settings,
    meta: { suite: 'cluster', iterations, cpuMs: flags.cpuMs, processes: flags.processes },
  });
  const out = finishReports(result, { out: flags.out, strict: flags.strict, command: 'bench:cluster', print });
  if (flags.json) log(`bench:cluster: results.json also in ${writeJson(result, flags.json)}`);
  return { result, out };
}

await runAsScript(import.meta.url, main, CLUSTER_HELP, 'bench:cluster');
