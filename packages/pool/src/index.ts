export { serve, type PoolStats, type RunningPool } from './server.js';
export type { PoolOptions } from './options.js';
export type { PoolThreadFigures, PoolWorkerStats } from './stats.js';
