/**
 * `pnpm bench:peers`: the same apps on raw node:http, the Switchyard
 * reactor (with each kind of app) and its peers, on the @switchyard/bench
 * engine: servers pinned to CPU 0 and wrk to CPU 1, rounds in a shuffled
 * order, each answer checked before it is timed, each figure the median
 * over rounds of req/s over raw node:http's in the same round.
 */
import { runBench } from '@switchyard/bench';
import { finishReports, runAsScript, runSettings } from '../cli-kit.mjs';
import { CONTENDERS, CONTENDER_GROUPS, engineLineup, FAST_APP, peerVersions, RAW_HANDLER } from './contenders.mjs';
import { parsePeerFlags, PEERS_HELP } from './flags.mjs';
import { PEER_SCENARIOS, peerScenarios } from './scenarios.mjs';

function listing() {
  return [
    'scenarios:',
    ...PEER_SCENARIOS.map((s) => `  ${s.name.padEnd(8)} ${s.title}`),
    'contenders (* by default):',
    ...Object.entries(CONTENDERS).map(([name, c]) => `  ${c.multicore || c.platform || c.cli ? ' ' : '*'} ${name.padEnd(23)} ${c.note}`),
    `groups: ${Object.entries(CONTENDER_GROUPS)
      .map(([group, names]) => `${group} (${names.length})`)
      .join(', ')}`,
  ].join('\n');
}

/** `log` takes progress lines (default: stderr), `print` the markdown report (default: stdout). */
export async function main(argv = process.argv.slice(2), { log = (line) => process.stderr.write(`${line}\n`), print } = {}) {
  const flags = parsePeerFlags(argv);
  if (flags.help) return void console.log(PEERS_HELP);
  if (flags.list) return void console.log(listing());

  const { settings } = runSettings(flags, log, 'peers');
  const lineup = engineLineup(flags.models, { workers: flags.workers });
  const result = await runBench({
    title: 'Switchyard peers',
    app: FAST_APP,
    rawHandler: RAW_HANDLER,
    models: lineup.models,
    modelNotes: lineup.modelNotes,
    contenders: lineup.contenders,
    scenarios: peerScenarios(flags.scenarios, lineup.names, { idle: flags.idle }),
    ...settings,
    ...(flags.workers !== undefined && { workers: flags.workers }),
    meta: { suite: 'peers', versions: peerVersions() },
  });
  const out = finishReports(result, { out: flags.out, strict: flags.strict, command: 'bench:peers', ...(print && { print }) });
  return { result, out };
}

await runAsScript(import.meta.url, main, PEERS_HELP, 'bench:peers');
