import { TestSocket } from '@switchyard/core/conformance';
import { afterEach, describe, expect, it } from 'vitest';
import { startPool, waitFor } from './helpers.js';

describe('pool: WebSockets bound to a thread', () => {
  let server: Awaited<ReturnType<typeof startPool>> | undefined;
  const sockets: TestSocket[] = [];

  afterEach(async () => {
    await Promise.all(sockets.splice(0).map((socket) => socket.close().catch(() => {})));
    await server?.close();
    server = undefined;
  });

  const connect = async (path = '/ws') => {
    const socket = new TestSocket(`${server!.url.replace('http', 'ws')}${path}`);
    sockets.push(socket);
    await socket.opened;
    return socket;
  };

  it('stops reading a flooding client while its thread is behind, serves other connections meanwhile, and loses nothing', async () => {
    server = await startPool({ app: new URL('./fixtures/gated-sockets.mjs', import.meta.url), workers: 1 });
    const flood = await connect();
    const other = await connect();
    const total = 2_000;
    for (let i = 0; i < total; i++) flood.ws.send(`message ${i}`);
    // Every handler of the flood waits on the gate; the thread's loop is free.
    const count = async () => Number(await other.ask('/count', (m) => typeof m === 'string' && /^\d+$/.test(m)));
    await waitFor(async () => (await count()) >= 32, 5_000, 'the first window of messages to reach the thread');
    // No handler has settled, so the thread holds exactly one window of the flood; the rest waits on the main thread (one read's worth) and in TCP.
    expect(await count()).toBe(32);
    other.ws.send('/release');
    await waitFor(async () => (await count()) === total, 10_000, 'every message to be handled');
  });
});
