// GET /fanout publishes on one pool thread and answers once every other
// thread has received the message and acknowledged it over the channel.
// GET /hello answers at once: the reference for the same trip without it.
import { FastResponse } from '@switchyard/core';

const THREADS = Number(process.env.BENCH_FANOUT_THREADS ?? 3);
/** id -> [acks still to come, resolve] for this thread's open publishes. */
const waiting = new Map();
let workerId = 0;
let nextId = 0;

export default {
  setup(ctx) {
    workerId = ctx.workerId;
    const ack = ctx.channel('ack');
    ctx.channel('fan').subscribe(({ from, id }) => {
      if (from !== workerId) ack.publish({ to: from, id });
    });
    ack.subscribe(({ to, id }) => {
      const entry = to === workerId && waiting.get(id);
      if (!entry || --entry[0] > 0) return;
      waiting.delete(id);
      entry[1]();
    });
  },
  async fetch(request, ctx) {
    if (!request.url.endsWith('/fanout')) return new FastResponse('hello');
    const id = nextId++;
    await new Promise((resolve) => {
      waiting.set(id, [THREADS - 1, resolve]);
      ctx.channel('fan').publish({ from: workerId, id });
    });
    return new FastResponse('fanned');
  },
};
