export { serve, type ThreadsServer } from './serve.js';
export { reusePortMissing } from './support.js';
export type { ClusterOptions as ThreadsOptions, ClusterStats as ThreadsStats } from '@switchyard/cluster';
