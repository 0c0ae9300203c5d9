import type { StartedServer } from './spec.js';

type Start = (options: Record<string, unknown>) => unknown;

/**
 * A contender's own server: the module's default export (or `start`) is
 * called with its options on 127.0.0.1 port 0, and must resolve to
 * `{ url, close() }`.
 */
export async function startServerModule(moduleUrl: string, options: Record<string, unknown> = {}): Promise<StartedServer> {
  const mod = (await import(moduleUrl)) as { default?: unknown; start?: unknown };
  const start = (typeof mod.default === 'function' ? mod.default : mod.start) as Start | undefined;
  if (typeof start !== 'function') {
    throw new TypeError(`Invalid option "server": ${moduleUrl} must export a start function (default or "start")`);
  }
  const server = (await start({ ...options, host: '127.0.0.1', port: 0 })) as Partial<StartedServer> | undefined;
  if (typeof server?.url !== 'string' || typeof server.close !== 'function') {
    throw new TypeError(`Invalid option "server": the start function of ${moduleUrl} must resolve to { url, close() }`);
  }
  const close = server.close.bind(server);
  return { url: server.url, close: async () => void (await close()) };
}
