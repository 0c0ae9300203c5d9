/**
 * Channel fan-out: `ctx.channel(name).publish()` reaching its subscribers.
 *
 * In-process: core's ChannelHub (what `ctx.channel` is on every backend)
 * publishing to 1, 10 and 100 subscribers, each task awaiting one microtask
 * so the hub's deferred delivery has happened; against an EventEmitter and a
 * diagnostics_channel with the same listeners, which call them at once.
 *
 * Across pool threads: the pool relays a publish through the main thread
 * to every other thread. A real `serve()` with 3 threads runs
 * `apps/fanout.mjs`: GET /fanout publishes on one thread and answers once
 * both other threads have received it and acknowledged it on a second
 * channel (so two relays, and both fan-outs, per request); GET /hello is the
 * same trip without it. 16 requests in flight over loopback.
 *
 * Standalone: node src/micro/index.mjs channel
 */
import diagnostics from 'node:diagnostics_channel';
import { EventEmitter } from 'node:events';
import { ChannelHub } from '@switchyard/core';
import { serve } from '@switchyard/pool';
import { inFlight, startAll } from './loopback.mjs';

const SUBSCRIBERS = [1, 10, 100];
const THREADS = 3;
const IN_FLIGHT = 16;
const MESSAGE = { type: 'update', id: 42 };

/** The tasks for `n` subscribers; `delivered` counts calls so `verify` can check each got it once. */
function fanOut(n) {
  let delivered = 0;
  const listener = () => delivered++;
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  const channel = diagnostics.channel(`bench-${n}`);
  const hub = new ChannelHub();
  const hubChannel = hub.channel('bench');
  for (let i = 0; i < n; i++) {
    emitter.on('message', listener);
    channel.subscribe(listener);
    hubChannel.subscribe(listener);
  }
  /** A task whose check publishes once more and counts the calls that reached a listener. */
  const task = (name, publish) => ({
    name,
    async: true,
    fn: publish,
    async verify() {
      const before = delivered;
      await publish();
      const count = delivered - before;
      return count === n ? undefined : `${count} deliveries, expected ${n}`;
    },
  });
  return {
    name: `publish to ${n} subscriber${n === 1 ? '' : 's'}, in-process`,
    tasks: [
      task('EventEmitter emit()', () => emitter.emit('message', MESSAGE)),
      task('diagnostics_channel publish()', () => channel.publish(MESSAGE)),
      task('ChannelHub publish()', () => hubChannel.publish(MESSAGE)),
    ],
  };
}

async function load() {
  const app = new URL('./apps/fanout.mjs', import.meta.url);
  process.env.BENCH_FANOUT_THREADS = String(THREADS);
  const { servers, close } = await startAll([() => serve({ app, port: 0, host: '127.0.0.1', workers: THREADS, logger: { ...console, info() {} } })]);
  const hello = inFlight(`${servers[0].url}/hello`, IN_FLIGHT);
  const fanout = inFlight(`${servers[0].url}/fanout`, IN_FLIGHT);
  const http = { async: true, perCall: IN_FLIGHT, minBatch: 1 };
  const across = {
    name: `publish across ${THREADS} pool threads, loopback HTTP (${IN_FLIGHT} in flight)`,
    note: 'Per request; the difference between the rows is the cross-thread publish and its acknowledgements.',
    tasks: [
      { name: 'GET /hello', fn: hello, ...http, verify: (body) => (body === 'hello' ? undefined : `answered ${JSON.stringify(body)}`) },
      {
        name: 'GET /fanout: publish, delivered on 2 threads, acked',
        fn: fanout,
        ...http,
        verify: (body) => (body === 'fanned' ? undefined : `answered ${JSON.stringify(body)}`),
      },
    ],
  };
  return {
    groups: [...SUBSCRIBERS.map(fanOut), across],
    close: async () => {
      hello.close();
      fanout.close();
      await close();
    },
  };
}

export const suite = { name: 'channel', title: 'Channel fan-out', load };
