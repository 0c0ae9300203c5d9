import { fileURLToPath } from 'node:url';
import { serve, type BackendName, type RunningServer, type ServeOptions } from '@switchyard/core';
import { reusePortMissing } from '@switchyard/threads';

/** The built demo app, as every backend loads it. */
export const demoApp = fileURLToPath(new URL('../../dist/app.js', import.meta.url));

/** The backends every demo test runs under: threads where this Node shares a port among listeners (22.12 and later). */
export const backends: readonly BackendName[] = reusePortMissing() ? ['reactor', 'pool', 'cluster'] : ['reactor', 'pool', 'cluster', 'threads'];

/**
 * Starts the built demo under `backend` on a free loopback port, with two
 * workers so cross-context behaviour (channels, per-worker stats) is real.
 * Demo settings that come from the environment (`DEMO_*`) must be set in
 * `process.env` before this is called: threads and processes inherit it.
 */
export function startDemo(backend: BackendName, options: Partial<ServeOptions> = {}): Promise<RunningServer> {
  return serve({ backend, app: demoApp, port: 0, host: '127.0.0.1', workers: 2, signals: false, ...options });
}

/**
 * The worker ids `startDemo` runs under `backend`: the reactor's one loop
 * (0); the pool's two serving threads and its express lane (3), which runs
 * `setup` and reports stats like the others (the page names it apart); the
 * cluster's two processes; the two threads of the threads backend.
 */
export function contextIds(backend: BackendName): number[] {
  return { reactor: [0], pool: [1, 2, 3], cluster: [1, 2], threads: [1, 2] }[backend];
}
