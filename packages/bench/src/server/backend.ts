import { createServer, type AddressInfo } from 'node:net';
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
  const host = spec.host ?? '127.0.0.1';
  for (let tries = 1; ; tries++) {
    const metricsPort = spec.metricsPort ? await freePort(host) : undefined;
    try {
      return await serveOn(serve, spec, host, metricsPort);
    } catch (error) {
      // The free port found may be taken before the server binds it: another one, a few times.
      // Matched by code: a backend may load its own copy of core.
      const taken = (error as { code?: unknown } | undefined)?.code === 'ERR_PORT_IN_USE';
      if (!(metricsPort !== undefined && taken && tries < PORT_TRIES)) throw error;
    }
  }
}

const PORT_TRIES = 3;

async function serveOn(serve: BackendModule['serve'], spec: ServerSpec, host: string, metricsPort: number | undefined): Promise<StartedServer> {
  const server = await serve({
    app: spec.app!,
    port: spec.port ?? 0,
    host,
    signals: false,
    logger,
    // The port with the runner's liveness and readiness on it, as a load balancer would probe them.
    ...(metricsPort !== undefined && { metrics: metricsPort, health: true }),
    ...(spec.workers !== undefined && { workers: spec.workers }),
    ...(spec.serve?.limits && { limits: spec.serve.limits }),
    ...(spec.serve?.pool && { pool: spec.serve.pool }),
    ...(spec.serve?.cluster && { cluster: spec.serve.cluster }),
    ...(spec.serve?.threads && { threads: spec.serve.threads }),
  });
  return {
    url: server.url,
    ...(metricsPort !== undefined && { metricsUrl: withPort(server.url, metricsPort) }),
    close: () => server.close({ graceMs: 200 }),
    stats: () => server.stats(),
  };
}

/** `url` (the server's, its host as it formats it) on another port. */
function withPort(url: string, port: number): string {
  const other = new URL(url);
  other.port = String(port);
  return other.origin;
}

/** A port free now on `host`: the metrics port takes a number, not 0. */
async function freePort(host: string): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve, reject) => probe.once('error', reject).listen(0, host, resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
