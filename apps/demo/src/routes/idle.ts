import { numberParam } from '../query.js';
import type { Route } from '../route.js';

const SECONDS = { min: 0, max: 3600, default: 30, decimals: true };
const encoder = new TextEncoder();

export const idle: Route = {
  path: '/idle',
  methods: ['GET'],
  example: '/idle?s=10',
  summary: 'Holds the connection open for ?s= seconds, like an idle browser: costs an event loop almost nothing.',
  handle(_request, ctx, url) {
    const seconds = numberParam(url, 's', SECONDS);
    let timer: NodeJS.Timeout | undefined;
    // The head goes out at once and the body when the time is up: a started
    // response is not cut by the server's request timeout (30 s by default),
    // so a long hold works, and under pool an open stream holds no thread slot.
    // A client that leaves cancels the body on every backend, so `cancel` is
    // all the clean-up needed: listening to `ctx.signal` as well would keep an
    // AbortController, its listener and their closures (0.9-1.3 KiB) for
    // every connection held.
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        timer = setTimeout(() => {
          controller.enqueue(encoder.encode(`Held the connection for ${seconds} s (${ctx.backend}, worker ${ctx.workerId})\n`));
          controller.close();
        }, seconds * 1000);
      },
      cancel() {
        clearTimeout(timer);
      },
    });
    return new Response(body, { headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } });
  },
};
