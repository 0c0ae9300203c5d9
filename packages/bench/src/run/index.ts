/**
 * The run loop: every scenario x model, checked, warmed up and timed in a
 * seeded random order, then summarised against the baseline.
 */
import { createGenerator, findAb, type Ab } from '../load/index.js';
import { resolveBenchOptions } from '../options.js';
import { pinProcess, planPinning } from '../proc/pin.js';
import { createProgress } from '../progress.js';
import { hardFdLimit, loadAverage, systemInfo } from '../system.js';
import { toFileUrl } from '../server/launch.js';
import type { BenchOptions, BenchResult, ContenderSpec } from '../types.js';
import type { RunContext } from './context.js';
import { scenarioLabel } from './label.js';
import { estimates, planRun, type Task } from './plan.js';
import { ServerSet } from './servers.js';
import { emptyClassic, emptyScenarios } from './skeleton.js';
import { pairRatios } from './pairs.js';
import { waitForQuiet } from './quiet.js';
import { finishScenario, summarizeClassic } from './summarize.js';
import { runClassicTask, runLoadTask } from './tasks.js';

/** Server log lines kept per model and scenario in the results. */
const MAX_LOGS = 10;

/**
 * Runs the comparison and returns its result (the content of
 * `results.json`). It never throws because a model failed: that model is
 * marked `failed` with its problems, and the others are measured.
 */
export async function runBench(input: BenchOptions): Promise<BenchResult> {
  const options = resolveBenchOptions(input);
  const generator = createGenerator(options.generator);
  const started = new Date();
  const system = systemInfo();
  const warnings: string[] = [];
  const progress = createProgress(options.progress, options.log);

  // Each server and the idle client need a socket per idle connection, plus room for everything else.
  const idleMax = Math.max(0, ...options.scenarios.map((s) => (s.kind === 'idle' ? (s.idle.count ?? options.idleConnections) : 0)));
  const hard = hardFdLimit();
  const fdLimit = Math.min(hard, Math.max(4096, idleMax + 2048));
  if (idleMax > 0 && idleMax + 256 > hard) {
    warnings.push(
      `ulimit -n allows ${hard} open files, fewer than the ${idleMax} idle connections asked for: some will fail. Raise the hard limit or lower the idle count.`,
    );
  }

  // The generator runs in this process or in children it starts (wrk, ab, the probe, the idle client): pinning this process pins them all.
  const { pinning, note } = options.pin ? planPinning(options.pin) : {};
  if (note) warnings.push(note);
  if (options.together) {
    warnings.push(
      "The models of each scenario ran at the same time (together), sharing the machine's cores and the generator: their figures show how they compare side by side, not what each does with the machine to itself.",
    );
  }

  const ab: Ab | undefined = options.classic ? findAb() : undefined;
  const classic = emptyClassic(options, ab?.version);

  const plan = planRun(options, ab !== undefined);
  const live = new Set<{ kill(): void }>();
  const killAll = () => {
    for (const proc of live) proc.kill();
  };
  process.once('exit', killAll);

  const scenarios = emptyScenarios(options);

  const logCounts = new Map<string, number>();
  const ctx: RunContext = {
    options,
    ...(pinning && { pinning }),
    generator,
    progress,
    fdLimit,
    live,
    logs(model, line) {
      const seen = (logCounts.get(model) ?? 0) + 1;
      logCounts.set(model, seen);
      const current = ctx.current;
      if (current && current.model === model && current.logs.length < MAX_LOGS) current.logs.push(line);
      if (seen <= 3) progress.log(`  [${model}] ${line}`);
      else if (seen === 4) progress.log(`  [${model}] (more log lines are kept in results.json)`);
    },
    wantsLogs(model) {
      const current = ctx.current;
      return (logCounts.get(model) ?? 0) < 4 || (current !== undefined && current.model === model && current.logs.length < MAX_LOGS);
    },
  };

  progress.log(
    `bench: ${system.cores} x ${system.cpuModel}, Node ${system.node}, load ${system.loadavgStart.join(' ')}; ${generator.version}; ` +
      `${options.runs} run(s) x ${options.duration}s after ${options.warmup}s warm-up; seed ${options.seed}; ${plan.tasks.length} timed runs` +
      `${pinning ? `; servers on CPU ${pinning.server}, generator on CPU ${pinning.generator}` : ''}`,
  );
  for (const warning of warnings) progress.log(`warning: ${warning}`);
  // Together, a scenario's models of a round make one step, run at once; otherwise each task is a step.
  const steps = options.together ? together(plan.tasks) : plan.tasks.map((task) => [task]);
  const seconds = estimates(options, plan.tasks);
  progress.plan(steps.map((step) => Math.max(...step.map((task) => seconds[plan.tasks.indexOf(task)]!))));

  const label = (step: Task[]) => {
    const task = step[0]!;
    const models = step.map((each) => each.model).join(' + ');
    return task.kind === 'classic'
      ? `ab · ${models} · run ${task.round}/${options.runs}`
      : `${scenarioLabel(task.scenario)} · ${models} · run ${task.round}/${options.runs}`;
  };
  const runTask = (task: Task) =>
    task.kind === 'classic'
      ? runClassicTask(ctx, servers, ab!, classic!, task.model, task.round)
      : runLoadTask(ctx, servers, scenarios.find((s) => s.name === task.scenario.name)!, task);

  const servers = new ServerSet(ctx);
  let round = 0;
  const unpin = pinning ? pinProcess(pinning.taskset, pinning.generator) : undefined;
  try {
    for (const step of steps) {
      // A new round starts every model afresh.
      if (step[0]!.round !== round) {
        await servers.stopAll();
        round = step[0]!.round;
      }
      if (options.quiet) await quietMachine(ctx);
      progress.start(label(step));
      try {
        await Promise.all(step.map(runTask));
      } finally {
        progress.done();
      }
    }
  } finally {
    await servers.stopAll().catch(() => {});
    unpin?.();
    progress.finish();
    killAll();
    process.off('exit', killAll);
  }

  for (const scenario of scenarios) {
    finishScenario(scenario);
    const pairs = pairRatios(scenario, options.pairs);
    if (pairs.length) scenario.pairs = pairs;
  }
  if (classic) for (const entry of Object.values(classic.models)) summarizeClassic(entry);

  const finished = new Date();
  return {
    schema: 'switchyard-bench/1',
    started: started.toISOString(),
    finished: finished.toISOString(),
    durationS: (finished.getTime() - started.getTime()) / 1000,
    system: { ...system, loadavgEnd: loadAverage(), fdLimit },
    generator: { name: generator.name, version: generator.version, command: generator.describe({ timeout: options.timeout }) },
    settings: {
      ...(options.profile !== undefined && { profile: options.profile }),
      runs: options.runs,
      warmupS: options.warmup,
      durationS: options.duration,
      timeoutS: options.timeout,
      seed: options.seed,
      models: options.models,
      ...(Object.keys(options.contenders).length && { contenders: contendersRecord(options.contenders) }),
      ...(pinning && { pin: { server: pinning.server, generator: pinning.generator } }),
      ...(options.title !== undefined && { title: options.title }),
      ...(options.modelNotes !== undefined && { modelNotes: options.modelNotes }),
      scenarios: options.scenarios.map((s) => s.name),
      idleConnections: options.idleConnections,
      sequential: options.sequential,
      fresh: options.fresh,
      ...(options.workers !== undefined && { workers: options.workers }),
      ...(options.meta !== undefined && { meta: options.meta }),
      ...(options.pairs.length && { pairs: options.pairs }),
      ...(options.quiet && { quiet: options.quiet }),
      ...(options.together && { together: true }),
      ...(options.attach && { attached: options.models.filter((model) => options.attach![model] !== undefined) }),
    },
    order: plan.order,
    scenarios,
    ...(classic && { classic }),
    warnings,
  };
}

/** Consecutive load tasks of one scenario and round, grouped to run at once; the Apache Bench runs stay one at a time. */
function together(tasks: Task[]): Task[][] {
  const steps: Task[][] = [];
  for (const task of tasks) {
    const last = steps.at(-1)?.[0];
    if (task.kind === 'load' && last?.kind === 'load' && last.round === task.round && last.scenario === task.scenario) steps.at(-1)!.push(task);
    else steps.push([task]);
  }
  return steps;
}

/** Waits for an idle machine (`quiet`), and says so when that took a while or never came. */
async function quietMachine(ctx: RunContext): Promise<void> {
  const quiet = ctx.options.quiet!;
  const { idle, waitedMs, idleShare } = await waitForQuiet(quiet);
  const share = `${Math.round(idleShare * 100)}% idle`;
  if (!idle) ctx.progress.log(`  quiet: the machine was still busy (${share}) after ${Math.round(waitedMs / 1000)} s; going on`);
  else if (waitedMs > quiet.windowS * 1000 * 1.5) ctx.progress.log(`  quiet: waited ${Math.round(waitedMs / 1000)} s for an idle machine (${share})`);
}

/** What each contender runs, as the results record it. */
function contendersRecord(contenders: Record<string, ContenderSpec>): NonNullable<BenchResult['settings']['contenders']> {
  return Object.fromEntries(
    Object.entries(contenders).map(([name, c]) => [
      name,
      {
        ...(c.note !== undefined && { note: c.note }),
        ...(c.model !== undefined && { model: c.model }),
        ...(c.server !== undefined && { server: toFileUrl(c.server) }),
      },
    ]),
  );
}
