import { invalidOption } from '@switchyard/core';
import type { ClusterOptions } from '@switchyard/cluster';

/** Node's `Worker` `resourceLimits`, in MiB; spelled out so that the published types need no @types/node. */
export interface ResourceLimits {
  maxYoungGenerationSizeMb?: number;
  maxOldGenerationSizeMb?: number;
  codeRangeSizeMb?: number;
  stackSizeMb?: number;
}

/** `ServeOptions.threads`: the cluster's supervision settings, and each thread's heap limits. */
export interface ThreadsOptions extends ClusterOptions {
  /**
   * Each thread's heap limits, as Node's `Worker` takes them. Default:
   * `{ maxYoungGenerationSizeMb: 16 }`: V8 lets each isolate's young
   * generation grow to 96 MiB (Node 26), and threads share one process, so
   * the cap bounds what a burst of garbage costs per thread. A thread past
   * `maxOldGenerationSizeMb` ends (`ERR_WORKER_OUT_OF_MEMORY`) and is
   * replaced like one that crashed.
   */
  resourceLimits?: ResourceLimits;
}

export const DEFAULT_RESOURCE_LIMITS: ResourceLimits = { maxYoungGenerationSizeMb: 16 };

const LIMIT_KEYS = ['maxYoungGenerationSizeMb', 'maxOldGenerationSizeMb', 'codeRangeSizeMb', 'stackSizeMb'] as const;

/** The threads' own options beside the cluster's supervision settings. */
export const THREADS_OWN_OPTIONS = ['resourceLimits'] as const;

/** Validates `threads.resourceLimits` over the default, naming the limit that is wrong. */
export function resolveResourceLimits(given: unknown): ResourceLimits {
  if (given === undefined) return { ...DEFAULT_RESOURCE_LIMITS };
  if (given === null || typeof given !== 'object' || Array.isArray(given)) {
    throw invalidOption('threads.resourceLimits', `an object with some of ${LIMIT_KEYS.join(', ')}`, given);
  }
  const resourceLimits: Record<string, number> = { ...DEFAULT_RESOURCE_LIMITS };
  for (const [key, value] of Object.entries(given)) {
    if (!(LIMIT_KEYS as readonly string[]).includes(key)) {
      throw invalidOption(`threads.resourceLimits.${key}`, `one of ${LIMIT_KEYS.join(', ')} (an unknown limit)`, key);
    }
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      throw invalidOption(`threads.resourceLimits.${key}`, 'a number of MiB above 0', value);
    }
    resourceLimits[key] = value;
  }
  return resourceLimits;
}
