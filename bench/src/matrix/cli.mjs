/**
 * `pnpm bench`: the demo app under every model, every scenario, one run.
 * Progress goes to stderr, the markdown report to stdout, and the reports
 * to bench/results/<timestamp>/ (or --out). The reports are validated
 * before it exits: an invalid report exits 1, never a slow model.
 */
import { MODEL_NOTES, MODELS, runBench } from '@switchyard/bench';
import { finishReports, runAsScript } from '../cli-kit.mjs';
import { HELP, parseFlags } from './flags.mjs';
import { DEMO_APP, RAW_HANDLER, requireDemo } from './paths.mjs';
import { PROFILES } from './profiles.mjs';
import { OVERLOAD_CONTENDERS, OVERLOAD_NAME } from './overload.mjs';
import { CLASSIC, demoScenarios, SCENARIO_GROUPS, SCENARIO_NAMES } from './scenarios.mjs';
import { prepareServices } from './services.mjs';

function listing() {
  return [
    'scenarios (* in the default profile; + in --quick too):',
    ...SCENARIO_NAMES.map((name) => `  ${PROFILES.default.scenarios.includes(name) ? '*' : PROFILES.quick.scenarios.includes(name) ? '+' : ' '} ${name}`),
    `groups: ${Object.entries(SCENARIO_GROUPS)
      .map(([group, names]) => `${group} (${names.length})`)
      .join(', ')}`,
    'models:',
    ...MODELS.map((model) => `  ${model.padEnd(11)} ${MODEL_NOTES[model]}`),
  ].join('\n');
}

/**
 * The overload scenario's `-limited` contenders, for the models of the run
 * it has; every other scenario then keeps to the run's models.
 */
export function overloadContenders(scenarios, models) {
  const overload = scenarios.find((s) => s.name === OVERLOAD_NAME);
  if (!overload) return undefined;
  const contenders = Object.fromEntries(Object.entries(OVERLOAD_CONTENDERS).filter(([, spec]) => models.includes(spec.model)));
  overload.models = overload.models.filter((name) => models.includes(name) || name in contenders);
  for (const scenario of scenarios) scenario.models ??= models;
  return contenders;
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
    const contenders = overloadContenders(scenarios, flags.models);
    result = await runBench({
      ...(contenders && { contenders }),
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

  finishReports(result, { out: flags.out, strict: flags.strict });
  return result;
}

await runAsScript(import.meta.url, main, HELP, 'bench');
