import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { StartedServer } from './spec.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

interface RawModule {
  default?: Handler | { handle?: Handler };
  setup?: () => unknown;
  teardown?: () => unknown;
}

/**
 * The reference: a plain `node:http` server with Node's defaults, running a
 * handler module written against `req`/`res` with no framework in between.
 */
export async function startRaw(moduleUrl: string): Promise<StartedServer> {
  const mod = (await import(moduleUrl)) as RawModule;
  const handler = typeof mod.default === 'function' ? mod.default : mod.default?.handle;
  if (typeof handler !== 'function') {
    throw new TypeError(`Invalid option "rawHandler": ${moduleUrl} must default-export a function (req, res)`);
  }
  await mod.setup?.();
  const server = createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await mod.teardown?.();
    },
  };
}
