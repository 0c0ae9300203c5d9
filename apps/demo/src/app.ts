import { FastResponse, type App } from '@switchyard/core';

const MAX_ECHO_BYTES = 64 * 1024;

/**
 * The demo app. It knows nothing of the backend running it: the same module
 * runs on one event loop, on worker threads, or in several processes.
 */
const app = {
  async fetch(request, ctx) {
    const { pathname } = new URL(request.url);
    if (pathname === '/' || pathname === '/hello') {
      return new FastResponse(`Hello from Switchyard (${ctx.backend}, worker ${ctx.workerId})\n`);
    }
    if (pathname === '/health') {
      return FastResponse.json({ status: 'ok', backend: ctx.backend, workerId: ctx.workerId, pid: process.pid });
    }
    if (pathname === '/echo') {
      if (request.method !== 'POST') return new FastResponse('POST a JSON body to /echo\n', { status: 405, headers: { allow: 'POST' } });
      const text = await request.text();
      if (text.length > MAX_ECHO_BYTES) return new FastResponse(`/echo takes at most ${MAX_ECHO_BYTES} bytes\n`, { status: 413 });
      try {
        return FastResponse.json({ echo: JSON.parse(text) as unknown });
      } catch {
        return new FastResponse('/echo needs a JSON body\n', { status: 400 });
      }
    }
    return new FastResponse('Not found\n', { status: 404 });
  },
} satisfies App;

export default app;
