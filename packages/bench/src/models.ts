import type { ModelName } from './types.js';

/** Every model, in the order reports list them. */
export const MODELS: readonly ModelName[] = ['raw', 'sequential', 'reactor', 'pool', 'cluster'];

/** One line per model, for reports. */
export const MODEL_NOTES: Record<ModelName, string> = {
  raw: 'plain node:http with a raw handler: the reference',
  sequential: 'the app, one connection at a time (a synchronous socket server)',
  reactor: 'the app on one event loop (@switchyard/reactor)',
  pool: 'the app on worker threads, I/O on the event loop (@switchyard/pool)',
  cluster: 'the app in N processes, each an event loop (@switchyard/cluster)',
};

/** Models that run the app module (all but the raw reference). */
export function runsApp(model: ModelName): boolean {
  return model !== 'raw';
}
