import type { App } from '@switchyard/core';
import { chatSockets } from './chat/sockets.js';
import { meter } from './page/meter.js';
import { routeTable as routes } from './route-table.js';
import { createRouter } from './router.js';
import { rememberShutdownSignal } from './shutdown.js';

const dispatch = createRouter(routes);

/**
 * The demo app. It knows nothing of the backend running it: the same module
 * runs on one event loop, on worker threads, or in several processes.
 */
const app = {
  async fetch(request, ctx) {
    const started = performance.now();
    const response = await dispatch(request, ctx);
    meter.record(performance.now() - started, response?.status ?? 101);
    // undefined after `ctx.upgrade` took a WebSocket: as in Bun, nothing is returned.
    return response;
  },
  websocket: chatSockets,
  async setup(ctx) {
    rememberShutdownSignal(ctx.signal);
    for (const route of routes) await route.setup?.(ctx);
  },
  async teardown() {
    // Reverse order, so a route can rely on what an earlier one set up.
    for (const route of [...routes].reverse()) await route.teardown?.();
  },
} satisfies App;

export default app;
