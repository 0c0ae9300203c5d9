import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '@switchyard/core';
import { serve } from '@switchyard/reactor';

/** Sends `raw` in one write and resolves with what came back once `count` responses have (each body is one letter). */
function pipelined(url: string, raw: string, count: number): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(raw));
    let received = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      received += chunk;
      if ((received.match(/HTTP\/1\.1 200/g) ?? []).length === count && /\r\n\r\n\w$/.test(received)) {
        socket.destroy();
        resolve(received);
      }
    });
    socket.on('error', reject);
  });
}

describe('requests run in turns', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await serve({ app: fileURLToPath(new URL('./fixtures/order-app.mjs', import.meta.url)), port: 0, signals: false });
  });
  afterAll(() => server.close());

  it('lets an asynchronous handler that needs no I/O finish before the next request of its turn starts', async () => {
    // Read in one poll, so the three run in the same turn.
    const raw = ['a', 'b', 'c'].map((id) => `GET /step?id=${id} HTTP/1.1\r\nHost: x\r\n\r\n`).join('');
    const received = await pipelined(server.url, raw, 3);
    expect(received.match(/\r\n\r\n(\w)/g)?.map((end) => end.slice(-1))).toEqual(['a', 'b', 'c']);
    const events = await (await fetch(`${server.url}/events`)).json();
    expect(events).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });
});
