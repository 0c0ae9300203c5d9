/**
 * The order of a run: rounds; in each round every scenario, and in each
 * scenario every model once, in a fresh seeded random order, so a machine's
 * slow drift falls on every model alike and each round gives one paired
 * ratio per scenario. The Apache Bench experiment ends each round.
 */
import { availableParallelism } from 'node:os';
import type { ResolvedBenchOptions } from '../options.js';
import { random, shuffle } from '../stats.js';
import type { ContenderName, ModelName, Scenario } from '../types.js';

export type Task = { kind: 'load'; scenario: Scenario; model: ContenderName; round: number } | { kind: 'classic'; model: ContenderName; round: number };

export interface Plan {
  tasks: Task[];
  order: { scenario: string; round: number; models: ContenderName[] }[];
}

/** Rough seconds to start each model's server, for the time estimate; a contender's own server is counted as a reactor. */
const START_S: Record<ModelName, number> = { raw: 0.3, sequential: 0.7, reactor: 0.7, pool: 1.2, cluster: 1.3, threads: 1.0 };

/** The model a name runs: itself, a contender's model, or undefined for a contender's own server. */
function modelOf(options: ResolvedBenchOptions, name: ContenderName): ModelName | undefined {
  return options.contenders[name] ? options.contenders[name]!.model : (name as ModelName);
}

export function scenarioModels(options: ResolvedBenchOptions, scenario: Scenario): ContenderName[] {
  return options.models.filter((model) => !scenario.models || scenario.models.includes(model));
}

export function planRun(options: ResolvedBenchOptions, withClassic: boolean): Plan {
  const rng = random(options.seed);
  const tasks: Task[] = [];
  const order: Plan['order'] = [];
  for (let round = 1; round <= options.runs; round++) {
    for (const scenario of options.scenarios) {
      const models = shuffle(scenarioModels(options, scenario), rng);
      order.push({ scenario: scenario.name, round, models });
      for (const model of models) tasks.push({ kind: 'load', scenario, model, round });
    }
    if (withClassic) {
      const models = shuffle(options.models, rng);
      order.push({ scenario: 'classic', round, models });
      for (const model of models) tasks.push({ kind: 'classic', model, round });
    }
  }
  return { tasks, order };
}

/** Seconds each task should take, for the progress bar's estimate. */
export function estimates(options: ResolvedBenchOptions, tasks: Task[]): number[] {
  const started = new Set<string>();
  return tasks.map((task) => {
    const key = `${task.round} ${task.model}`;
    const start = options.fresh === 'run' || !started.has(key) ? START_S[modelOf(options, task.model) ?? 'reactor'] : 0;
    started.add(key);
    const model = modelOf(options, task.model);
    if (task.kind === 'classic') return start + 0.2 + options.warmup + (model === 'sequential' ? 2 : 1);
    let seconds = start + 0.2 + (task.scenario.warmup ?? options.warmup) + options.duration + (task.scenario.probe ? 0.2 : 0);
    const cell = task.scenario.isolation;
    if (task.scenario.drain && cell) {
      // What a closed loop leaves behind, once after the warm-up and once after the timed run: a request per connection, run by one thread or by every core.
      const threads = model === 'reactor' || model === 'sequential' || model === 'raw' ? 1 : (options.workers ?? availableParallelism());
      seconds += (2 * (task.scenario.connections ?? 100) * cell.costMs) / 1000 / threads;
    }
    if (task.scenario.kind === 'idle') {
      const count = task.scenario.idle.count ?? options.idleConnections;
      // Opening runs at a few thousand connections a second; a server that holds none stalls once for 2 s.
      seconds += 1 + count / 2500 + (model === 'sequential' ? 2 : 0);
    }
    return seconds;
  });
}
