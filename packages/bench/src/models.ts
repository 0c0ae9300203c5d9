import type { BackendName } from '@switchyard/core';
import type { BenchResult, ContenderName, ModelName } from './types.js';

/** Every model, in the order reports list them. */
export const MODELS: readonly ModelName[] = ['raw', 'sequential', 'reactor', 'pool', 'cluster', 'threads'];

/** One line per model, for reports. */
export const MODEL_NOTES: Record<ModelName, string> = {
  raw: 'plain node:http with a raw handler: the reference',
  sequential: 'the app, one connection at a time (a synchronous socket server)',
  reactor: 'the app on one event loop (@switchyard/reactor)',
  pool: 'the app on worker threads, I/O on the event loop (@switchyard/pool)',
  cluster: 'the app in N processes, each an event loop (@switchyard/cluster)',
  threads: 'the app in N threads of one process, each an event loop on a shared port (@switchyard/threads, Node >= 22.12)',
};

/** Models served by a Switchyard backend: these have a runner, with its metrics port. */
const BACKEND_MODELS: readonly ModelName[] = ['reactor', 'pool', 'cluster', 'threads'];
export const isBackendModel = (model: string | undefined): model is BackendName => BACKEND_MODELS.includes(model as ModelName);

/** Models that run the app module (all but the raw reference). */
export function runsApp(model: ModelName): boolean {
  return model !== 'raw';
}

export const isModel = (name: string): name is ModelName => MODELS.includes(name as ModelName);

/** Models in their usual order, then contenders as the run listed them (the sort is stable). */
export function byModelOrder(a: { model: string }, b: { model: string }): number {
  const rank = (model: string) => (isModel(model) ? MODELS.indexOf(model) : MODELS.length);
  return rank(a.model) - rank(b.model);
}

/** The models and contenders of a run, in the order its reports show them. */
export function lineup(result: BenchResult): ContenderName[] {
  return result.settings.models;
}

/** What serves the request under `name`, for reports. */
export function contenderNote(result: BenchResult, name: ContenderName): string {
  const contender = result.settings.contenders?.[name];
  if (contender) return contender.note ?? (contender.model ? `${MODEL_NOTES[contender.model]}, with its own settings` : `started by ${contender.server}`);
  return isModel(name) ? (result.settings.modelNotes?.[name] ?? MODEL_NOTES[name]) : '';
}
