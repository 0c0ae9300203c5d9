// The channel fan-out bench's app. POST /burst?n=N publishes N messages on
// the "fanout" channel, as fast as it can, each stamped with its send time
// (epoch ms, sub-millisecond: the same clock in every thread and process).
// Every context records, for the messages it receives, the first and last
// arrival and the publish-to-receive latency of each. POST
// /control?op=report asks every context (through the "control" channel) to
// write its figures to a file of its own under FANOUT_DIR; op=reset clears
// them.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';

const now = () => performance.timeOrigin + performance.now();
let latencies = [];
let first = 0;
let last = 0;
let name = '';

export default {
  setup(ctx) {
    name = `${ctx.backend}-${ctx.workerId}-${process.pid}-${threadId}`;
    ctx.channel('fanout').subscribe((message) => {
      const at = now();
      if (latencies.length === 0) first = at;
      last = at;
      latencies.push(at - message.sent);
    });
    ctx.channel('control').subscribe((message) => {
      if (message.op === 'reset') latencies = [];
      else writeFileSync(join(process.env.FANOUT_DIR, `${name}.json`), JSON.stringify({ latencies, first, last }));
    });
  },
  fetch(request, ctx) {
    const url = new URL(request.url);
    if (url.pathname === '/burst') {
      const fanout = ctx.channel('fanout');
      const n = Number(url.searchParams.get('n'));
      const started = now();
      for (let i = 0; i < n; i++) fanout.publish({ i, sent: now() });
      return Response.json({ context: name, started, publishedMs: now() - started });
    }
    if (url.pathname === '/control') {
      ctx.channel('control').publish({ op: url.searchParams.get('op') });
      return new Response('asked');
    }
    return new Response('ok');
  },
};
