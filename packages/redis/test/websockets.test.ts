import { type BackendName, serve, type RunningServer } from '@switchyard/core';
import { openSocket, type TestSocket, websocketAppUrl } from '@switchyard/core/conformance';
import { reusePortMissing } from '@switchyard/threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureRedisServer, RedisServer } from '../../../test-support/redis-server.mjs';

/**
 * WebSocket topics across instances: an instance of the WebSocket
 * conformance app per backend (threads where Node shares a port), sharing a
 * real redis-server through `channel`. A publish on any of them reaches the
 * subscribed sockets of all.
 */
const BACKENDS: BackendName[] = reusePortMissing() ? ['reactor', 'pool', 'cluster'] : ['reactor', 'pool', 'cluster', 'threads'];
let redis: RedisServer;
const servers: RunningServer[] = [];
const sockets: TestSocket[] = [];

beforeAll(async () => {
  ensureRedisServer();
  redis = await RedisServer.start();
  for (const backend of BACKENDS) {
    servers.push(await serve({ app: websocketAppUrl(), backend, port: 0, host: '127.0.0.1', workers: 2, signals: false, channel: redis.url }));
  }
}, 120_000);
afterAll(async () => {
  await Promise.all(sockets.map((socket) => socket.close().catch(() => {})));
  await Promise.all(servers.map((server) => server.close()));
  await redis?.stop();
});

describe('WebSocket topics across instances through Redis', () => {
  it('delivers ws.publish and ctx.publish once to the subscribers on every instance, not back to the sender', async () => {
    for (const server of servers) {
      const { socket } = await openSocket(server.url, `/ws?name=${server.backend}`);
      sockets.push(socket);
      await socket.ask('/join lobby', (m) => m === 'joined lobby');
    }
    for (const [i, sender] of sockets.entries()) {
      const text = `hello from instance ${i}`;
      sender.ws.send(`/say lobby ${text}`);
      for (const other of sockets) if (other !== sender) await other.text(text, 10_000);
      await sender.ask('/whoami', (m) => typeof m === 'string' && m.startsWith('{"worker"'));
      expect(sender.messages).not.toContain(text);
    }
    await fetch(`${servers[2]!.url}/publish?topic=lobby`, { method: 'POST', body: 'from the cluster instance' });
    for (const socket of sockets) await socket.text('from the cluster instance', 10_000);
    for (const socket of sockets) {
      await socket.ask('/whoami', (m) => typeof m === 'string' && m.startsWith('{"worker"'));
      expect(socket.messages.filter((m) => m === 'from the cluster instance')).toHaveLength(1);
      for (let i = 0; i < sockets.length; i++)
        expect(socket.messages.filter((m) => m === `hello from instance ${i}`)).toHaveLength(socket === sockets[i] ? 0 : 1);
    }
  });
});
