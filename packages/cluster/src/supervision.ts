/**
 * The supervision this package shares with `@switchyard/threads`: a primary
 * that keeps N contexts running the app in a reactor (back-off, crash-loop
 * stop, heartbeats, rolling restarts, stats, `/metrics`, readiness) and the
 * context's side of it. Not for apps: its shape follows what the two
 * backends need.
 */
export type { Child, Spawn } from './child.js';
export type { ToPrimary, ToWorker, WorkerInit } from './messages.js';
export { resolveClusterOptions, type ClusterOptions, type ResolvedClusterOptions } from './options.js';
export type { ClusterStats, ClusterWorkerStats } from './stats.js';
export { serveSupervised, type SupervisedMode, type SupervisedServer } from './supervised.js';
export type { Naming, Router } from './supervisor.js';
export { runWorker, type PrimaryLink } from './worker-runtime.js';
