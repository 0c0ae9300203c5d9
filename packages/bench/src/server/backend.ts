import { loadBackend, SwitchyardError, type BackendModule, type BackendName } from '@switchyard/core';
import { logger, type ServerSpec, type StartedServer } from './spec.js';

/** `@switchyard/<name>`, from the first of `dirs` that has it installed. */
export async function backendFrom(name: BackendName, dirs: string[]): Promise<BackendModule> {
  let last: unknown;
  for (const dir of dirs) {
    try {
      return await loadBackend(name, dir);
    } catch (error) {
      if (!(error instanceof SwitchyardError && error.code === 'ERR_BACKEND_NOT_INSTALLED')) throw error;
      last = error;
    }
  }
  throw last;
}

/** The app under reactor, pool, cluster or threads, exactly as a user would serve it. */
export async function startBackend(spec: ServerSpec & { model: BackendName }): Promise<StartedServer> {
  const { serve } = await backendFrom(spec.model, spec.resolveFrom);
  const server = await serve({
    app: spec.app!,
    port: spec.port ?? 0,
    host: spec.host ?? '127.0.0.1',
    signals: false,
    logger,
    ...(spec.workers !== undefined && { workers: spec.workers }),
    ...(spec.serve?.limits && { limits: spec.serve.limits }),
    ...(spec.serve?.pool && { pool: spec.serve.pool }),
    ...(spec.serve?.cluster && { cluster: spec.serve.cluster }),
    ...(spec.serve?.threads && { threads: spec.serve.threads }),
  });
  return { url: server.url, close: () => server.close({ graceMs: 200 }), stats: () => server.stats() };
}
