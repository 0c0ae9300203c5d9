// The WebSocket bench's app, served by reactor, pool and cluster. GET /echo
// upgrades to a socket that sends back every message; GET /idle upgrades to
// a socket that only listens on the "broadcast" topic. POST /publish sends
// its body to that topic, stamped with the publish time (epoch ms,
// sub-millisecond: the same clock in every thread and process, so a client
// on this machine can time the delivery). POST /memory?dir=DIR asks every
// context, through a channel, to collect its garbage and write its heap
// figures to a file of its own under DIR.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { threadId } from 'node:worker_threads';

export const TOPIC = 'broadcast';
const now = () => performance.timeOrigin + performance.now();

/**
 * `gc()` without --expose-gc on the command line, which worker threads
 * refuse in their execArgv (ERR_WORKER_INVALID_EXEC_ARGV): the flag is set
 * at run time, and a fresh context picks up the function it exposes.
 */
export function collector() {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc');
}

export default {
  setup(ctx) {
    const gc = collector();
    ctx.channel('bench:memory').subscribe(({ dir }) => {
      gc();
      const { heapUsed, heapTotal, rss } = process.memoryUsage();
      writeFileSync(join(dir, `${process.pid}-${threadId}.json`), JSON.stringify({ pid: process.pid, threadId, heapUsed, heapTotal, rss }));
    });
  },
  async fetch(request, ctx) {
    const { pathname, searchParams } = new URL(request.url);
    if (pathname === '/echo' || pathname === '/idle') {
      if (ctx.upgrade(request, { data: { idle: pathname === '/idle' } })) return;
      return new Response('expected a WebSocket handshake', { status: 426 });
    }
    if (pathname === '/publish' && request.method === 'POST') {
      const seq = await request.text();
      ctx.publish(TOPIC, `${seq} ${now()}`);
      return new Response('published');
    }
    if (pathname === '/memory' && request.method === 'POST') {
      ctx.channel('bench:memory').publish({ dir: searchParams.get('dir') });
      return new Response('asked');
    }
    return new Response('ok');
  },
  websocket: {
    open(ws) {
      if (ws.data.idle) ws.subscribe(TOPIC);
    },
    message(ws, message) {
      ws.send(message);
    },
  },
};
