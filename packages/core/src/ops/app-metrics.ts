import { createRequire } from 'node:module';
import type { Registry } from 'prom-client';
import type { MetricJson } from './metric-json.js';

const require = createRequire(import.meta.url);
/** On globalThis, so every copy of @switchyard/core loaded in one thread or process shares it. */
const kRegistry = Symbol.for('switchyard.metrics.registry');
type Holder = { [kRegistry]?: Registry };

/**
 * The prom-client registry Switchyard reads the app's own metrics from, in
 * this thread or process. Register metrics on it (`registers: [metricsRegistry()]`)
 * in `setup` or at import; `/metrics` then shows them from every thread or
 * process, labelled with the worker, and their counters survive a worker's
 * replacement like Switchyard's own.
 */
export function metricsRegistry(): Registry {
  const holder = globalThis as Holder;
  if (!holder[kRegistry]) {
    const { Registry: PromRegistry } = require('prom-client') as typeof import('prom-client');
    holder[kRegistry] = new PromRegistry();
  }
  return holder[kRegistry];
}

/** The app's metrics in this context, or none when it registered none. */
export async function appMetricsJson(): Promise<MetricJson[]> {
  const registry = (globalThis as Holder)[kRegistry];
  return registry ? ((await registry.getMetricsAsJSON()) as unknown as MetricJson[]) : [];
}
