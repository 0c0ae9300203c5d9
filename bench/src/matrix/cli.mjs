/**
 * `pnpm bench`: the demo app under every model, every scenario, one run.
 * Progress goes to stderr, the markdown report to stdout, and the reports
 * to bench/results/<timestamp>/ (or --out). The reports are validated
 * before it exits: an invalid report exits 1, never a slow model.
 */
import { relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { failedModels, markdownReport, MODEL_NOTES, MODELS, runBench, validateReportDir, writeReports } from '@switchyard/bench';
import { HELP, parseFlags } from './flags.mjs';
import { DEMO_APP, RAW_HANDLER, requireDemo, RESULTS, userPath } from './paths.mjs';
import { PROFILES } from './profiles.mjs';
import { CLASSIC, demoScenarios, SCENARIO_GROUPS, SCENARIO_NAMES } from './scenarios.mjs';
import { prepareServices } from './services.mjs';

function listing() {
  return [
    'scenarios (* in the default profile; + in --quick too):',
    ...SCENARIO_NAMES.map((name) => `  ${PROFILES.default.scenarios.includes(name) ? '*' : PROFILES.quick.scenarios.includes(name) ? '+' : ' '} ${name}`),
    `groups: ${Object.entries(SCENARIO_GROUPS).map(([group, names]) => `${group} (${names.length})`).join(', ')}`,
    'models:',
    ...MODELS.map((model) => `  ${model.padEnd(11)} ${MODEL_NOTES[model]}`),
  ].join('\n');
}

export async function main(argv = process.argv.slice(2)) {
  const flags = parseFlags(argv);
  if (flags.help) return void console.log(HELP);
  if (flags.list) return void console.log(listing());
  requireDemo();

  const services = await prepareServices({ upstream: flags.scenarios.includes('upstream') });
  let result;
  try {
    const scenarios = demoScenarios(services.facts, { idleConnections: flags.idle, timeout: flags.timeout }).filter((s) => flags.scenarios.includes(s.name));
    result = await runBench({
      app: DEMO_APP,
      rawHandler: RAW_HANDLER,
      env: services.env,
      scenarios,
      models: flags.models,
      runs: flags.runs,
      duration: flags.duration,
      warmup: flags.warmup,
      generator: flags.generator,
      timeout: flags.timeout,
      idleConnections: flags.idle,
      fresh: flags.fresh,
      progress: flags.progress,
      profile: flags.profile,
      ...(flags.workers !== undefined && { workers: flags.workers }),
      ...(flags.seed !== undefined && { seed: flags.seed }),
      ...(flags.classic && { classic: CLASSIC }),
      meta: {
        app: 'apps/demo/dist/app.js',
        cpuRoundsPerMs: services.facts.cpu.roundsPerMs,
        cpuRoundsPerRequest: services.facts.cpu.rounds,
        // Units of each kind of /cpu work per millisecond, as pinned for every server (hash = cpuRoundsPerMs).
        cpuRatesPerMs: services.facts.cpu.rates,
      },
    });
  } finally {
    services.close();
  }

  const out = flags.out ? userPath(flags.out) : `${RESULTS}/${result.started.replace(/[:.]/g, '-')}`;
  writeReports(result, out);
  process.stdout.write(`\n${markdownReport(result)}`);
  const shown = relative(process.env.INIT_CWD ?? process.cwd(), out);
  const where = !shown ? '.' : shown.startsWith('..') ? out : shown;
  const problems = validateReportDir(out);
  if (problems.length) {
    console.error(`bench: the report in ${where} is not valid:\n  ${problems.join('\n  ')}`);
    process.exitCode = 1;
    return result;
  }
  console.error(`bench: reports in ${where}/ (results.json, results.md, report.html), checked valid`);
  const failed = failedModels(result);
  if (failed.length) {
    console.error(`bench: ${failed.length} model(s) could not be measured:\n  ${failed.join('\n  ')}`);
    if (flags.strict) process.exitCode = 1;
  }
  return result;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    await main();
  } catch (error) {
    if (error instanceof TypeError || error?.code === 'ERR_INVALID_OPTION' || error?.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      console.error(`bench: ${error.message}\n\n${HELP}`);
    } else console.error(error);
    process.exitCode = 1;
  }
}
