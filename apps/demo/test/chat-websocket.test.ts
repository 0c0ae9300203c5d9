/**
 * The chat over WebSockets beside the event streams, under every backend:
 * clients of both kinds spread over both workers, and every message, sent
 * over a socket or posted, reaches every client of either kind exactly once.
 */
import type { RunningServer } from '@switchyard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EventStream, openEventStream } from './support/sse.js';
import { backends, startDemo } from './support/start-demo.js';
import { bounded, type ChatSocket, openChatSocket, socketUrl } from './support/websocket.js';

/** Clients of one kind are opened until they sit on this many workers (one for the reactor), or MAX_CLIENTS is reached. */
const WORKERS = 2;
const MAX_CLIENTS = 8;

interface Client {
  kind: 'websocket' | 'sse';
  workerId: number;
  next(): Promise<{ event: string; data: unknown }>;
}

/** Opens clients with `open` until they sit on `workers` workers (at least two clients); returns them with their workers. */
async function spread<T>(open: () => Promise<T>, ready: (client: T) => Promise<number>, workers: number, into: T[]): Promise<Set<number>> {
  const seen = new Set<number>();
  while (into.length < 2 || (seen.size < workers && into.length < MAX_CLIENTS)) {
    const client = await open();
    into.push(client);
    seen.add(await ready(client));
  }
  return seen;
}

const readyWorker = async (client: { next(): Promise<{ event: string; data: unknown }> }): Promise<number> => {
  const ready = await client.next();
  expect(ready).toEqual({ event: 'ready', data: { workerId: expect.any(Number) } });
  return (ready.data as { workerId: number }).workerId;
};

describe.each(backends)('the chat over WebSocket and SSE under %s', (backend) => {
  const workers = backend === 'reactor' ? 1 : WORKERS;
  let server: RunningServer;
  beforeAll(async () => {
    server = await startDemo(backend);
  });
  afterAll(() => server?.close());

  const wsUrl = () => socketUrl(server.url, '/chat/ws');

  it('delivers each message, sent over a socket or posted, once to every socket and stream on every worker', async () => {
    const sockets: ChatSocket[] = [];
    const streams: EventStream[] = [];
    try {
      const socketWorkers: number[] = [];
      const socketsOn = await spread(
        () => openChatSocket(wsUrl()),
        async (socket) => {
          const id = await readyWorker(socket);
          socketWorkers.push(id);
          return id;
        },
        workers,
        sockets,
      );
      const streamWorkers: number[] = [];
      const streamsOn = await spread(
        () => openEventStream(`${server.url}/chat/events`),
        async (stream) => {
          const id = await readyWorker(stream);
          streamWorkers.push(id);
          return id;
        },
        workers,
        streams,
      );
      expect(socketsOn.size).toBeGreaterThanOrEqual(workers);
      expect(streamsOn.size).toBeGreaterThanOrEqual(workers);
      const clients: Client[] = [
        ...sockets.map((socket, i) => ({ kind: 'websocket' as const, workerId: socketWorkers[i]!, next: () => socket.next() })),
        ...streams.map((stream, i) => ({ kind: 'sse' as const, workerId: streamWorkers[i]!, next: () => bounded(stream.next(), 'waiting for an event') })),
      ];

      // Three messages from three places: a socket, a POST, and a socket on another worker than the first.
      // Each is read by every client before the next goes, so a second copy of one would be read in place of the next.
      const first = sockets[0]!;
      const second = sockets[socketWorkers.findIndex((id) => id !== socketWorkers[0])] ?? sockets[1]!;
      const senders: { name: string; send(text: string): Promise<string | undefined> }[] = [
        { name: `a socket on worker ${socketWorkers[0]}`, send: async (text) => void first.send(JSON.stringify({ name: 'ada', text })) },
        {
          name: 'POST /chat',
          async send(text) {
            const post = await fetch(`${server.url}/chat`, { method: 'POST', body: JSON.stringify({ name: 'grace', text }) });
            expect(post.status).toBe(202);
            return ((await post.json()) as { id: string }).id;
          },
        },
        {
          name: `a socket on worker ${socketWorkers[sockets.indexOf(second)]}`,
          send: async (text) => void second.send(JSON.stringify({ name: 'alan', text })),
        },
      ];
      for (const [i, sender] of senders.entries()) {
        const text = `message ${i + 1}, from ${sender.name}`;
        const postedId = await sender.send(text);
        const received = await Promise.all(clients.map((client) => client.next()));
        received.forEach((frame, c) => {
          const client = clients[c]!;
          expect(frame, `the ${client.kind} client on worker ${client.workerId}, message ${i + 1}`).toEqual({
            event: 'message',
            data: { id: expect.any(String), name: expect.any(String), text, at: expect.any(Number), workerId: expect.any(Number) },
          });
        });
        // One message, not one per path: every client holds the same id.
        const ids = new Set(received.map((frame) => (frame.data as { id: string }).id));
        expect(ids.size).toBe(1);
        if (postedId !== undefined) expect(ids).toEqual(new Set([postedId]));
      }
      // Nothing came twice after the last one either, as far as has arrived.
      expect(sockets.map((socket) => socket.unread)).toEqual(sockets.map(() => 0));
    } finally {
      await Promise.all(sockets.map((socket) => socket.close()));
      for (const stream of streams) stream.close();
    }
  });

  it('answers a bad message with an error frame to its sender only, and keeps the socket open', async () => {
    const [sender, other] = await Promise.all([openChatSocket(wsUrl()), openChatSocket(wsUrl())]);
    try {
      await Promise.all([sender.next(), other.next()]);
      sender.send('{nope');
      expect(await sender.next()).toEqual({ event: 'error', data: { error: expect.stringContaining('the body is not JSON') } });
      sender.send(JSON.stringify({ text: '   ' }));
      expect(await sender.next()).toEqual({ event: 'error', data: { error: expect.stringContaining('"text" must be a string of 1 to 500 characters') } });
      // Binary frames are read as UTF-8 text.
      sender.send(new TextEncoder().encode(JSON.stringify({ text: 'still here' })));
      const echoed = await sender.next();
      expect(echoed).toMatchObject({ event: 'message', data: { name: 'anonymous', text: 'still here' } });
      // The other socket saw no error frame: its next frame is the good message.
      expect(await other.next()).toEqual(echoed);
    } finally {
      await Promise.all([sender.close(), other.close()]);
    }
  });

  it('closes a socket that sends a message over 4096 bytes with 1009, and serves on', async () => {
    const socket = await openChatSocket(wsUrl());
    await socket.next();
    socket.send(JSON.stringify({ text: 'x'.repeat(5000) }));
    expect((await socket.closed).code).toBe(1009);
    const again = await openChatSocket(wsUrl());
    try {
      expect((await again.next()).event).toBe('ready');
    } finally {
      await again.close();
    }
  });

  it('answers a plain GET /chat/ws with 426 and Upgrade: websocket', async () => {
    const response = await fetch(`${server.url}/chat/ws`);
    expect(response.status).toBe(426);
    expect(response.headers.get('upgrade')).toBe('websocket');
    expect(await response.text()).toContain('WebSocket handshake');
  });
});
