export { serve, type ThreadsServer } from './serve.js';
export { reusePortMissing } from './support.js';
export { DEFAULT_RESOURCE_LIMITS, type ResourceLimits, type ThreadsOptions } from './options.js';
export type { ClusterStats as ThreadsStats } from '@switchyard/cluster';
