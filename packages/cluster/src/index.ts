export { serve, type ClusterServer } from './primary.js';
export type { ClusterOptions } from './options.js';
export type { ClusterStats, ClusterWorkerStats, SupervisedServer } from './stats.js';
