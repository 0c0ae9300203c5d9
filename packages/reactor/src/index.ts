import type { RunningServer, ServeOptions } from '@switchyard/core';
import { serve as serveWithContext } from './server.js';

/**
 * Runs the app on this thread's event loop with `node:http`. Everything the
 * app does shares one loop: slow I/O costs nothing, synchronous CPU work
 * delays every other client.
 *
 * Typed without the cluster's hooks (`@switchyard/reactor/node`), whose Node
 * types would make this entry need @types/node.
 */
export const serve: (options: ServeOptions) => Promise<RunningServer> = serveWithContext;
