/// <reference types="node" preserve="true" />
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer, ServeOptions } from '../types.js';
import { collectingLogger, EventLog, waitFor } from './helpers.js';
import type { ConformanceOptions } from './index.js';
import { openSocket, TestSocket } from './ws-client.js';

/** The WebSocket conformance app, with its settings as query parameters (see the fixture). */
export function websocketAppUrl(settings: Record<string, string> = {}, app: 'plain' | 'hono' = 'plain'): URL {
  const url = new URL(`../../fixtures/${app === 'hono' ? 'websocket-hono-app.mjs' : 'websocket-app.mjs'}`, import.meta.url);
  for (const [name, value] of Object.entries(settings)) url.searchParams.set(name, value);
  return url;
}

const LIMITS = { maxBodySize: 1024 * 1024, requestTimeout: 5_000, headersTimeout: 2_000, keepAliveTimeout: 2_000 };

function isJson(key: string) {
  return (message: string | Buffer) => typeof message === 'string' && message.startsWith(`{"${key}"`);
}

/**
 * The WebSocket conformance suite for one backend: a Bun-shaped app (and an
 * unchanged Hono app written for Bun) served with real sockets and the `ws`
 * client. Call it at the top level of a test file.
 */
export function defineWebSocketSuite(options: ConformanceOptions): void {
  const workers = options.workers ?? 2;
  const { contexts } = options.capabilities;
  const logger = collectingLogger();
  const servers: RunningServer[] = [];
  const sockets: TestSocket[] = [];
  let shared: RunningServer | undefined;

  const start = async (overrides: Partial<ServeOptions> = {}): Promise<RunningServer> => {
    const server = await options.serve({
      app: websocketAppUrl(),
      port: 0,
      host: '127.0.0.1',
      workers,
      signals: false,
      logger,
      limits: LIMITS,
      graceMs: 2_000,
      ...overrides,
    });
    servers.push(server);
    return server;
  };
  const open = async (server: RunningServer, name = 'anon', query = '') => {
    const opened = await openSocket(server.url, `/ws?name=${encodeURIComponent(name)}${query}`);
    sockets.push(opened.socket);
    return opened;
  };
  /** A socket subscribed to `watch`, where the app reports what happened on the server. */
  const watcher = async (server: RunningServer) => {
    const { socket } = await open(server, 'watcher');
    await socket.ask('/join watch', (m) => m === 'joined watch');
    return socket;
  };
  /** Opens sockets until they sit on `want` different contexts (bounded). */
  const spread = async (server: RunningServer, want: number) => {
    const byWorker = new Map<number, TestSocket>();
    for (let i = 0; i < 40 && byWorker.size < want; i++) {
      const { socket, worker } = await open(server, `spread-${i}`);
      if (byWorker.has(worker)) await socket.close();
      else byWorker.set(worker, socket);
    }
    expect(byWorker.size).toBe(want);
    return byWorker;
  };

  describe(`${options.backend} WebSockets`, () => {
    beforeAll(async () => {
      shared = await start();
    });
    afterAll(async () => {
      await Promise.all(sockets.map((socket) => socket.close().catch(() => {})));
      await Promise.all(servers.map((server) => server.close()));
    });
    const server = () => shared!;

    it('echoes text as text and bytes as bytes, with the upgrade data and headers in place', async () => {
      const { socket, worker } = await open(server(), 'echo');
      expect(socket.headers['x-worker']).toBe(String(worker));
      expect(await socket.ask('hello there', (m) => m === 'hello there')).toBe('hello there');
      const bytes = Buffer.from([0, 1, 2, 255]);
      const from = socket.messages.length;
      socket.ws.send(bytes);
      expect(Buffer.compare((await socket.next((m) => Buffer.isBuffer(m), 5_000, from)) as Buffer, bytes)).toBe(0);
      const whoami = JSON.parse(String(await socket.ask('/whoami', isJson('worker'))));
      expect(whoami).toEqual({ worker, name: 'echo', subscriptions: [], readyState: 1 });
      expect((await server().stats()).websockets).toBeGreaterThanOrEqual(1);
    });

    it('reassembles fragmented messages and carries large ones intact, and answers pings', async () => {
      const { socket } = await open(server(), 'large');
      const from = socket.messages.length;
      socket.ws.send('frag', { fin: false });
      socket.ws.send('men', { fin: false });
      socket.ws.send('ted', { fin: true });
      expect(await socket.next((m) => m === 'fragmented', 5_000, from)).toBe('fragmented');
      const large = randomBytes(512 * 1024);
      const at = socket.messages.length;
      socket.ws.send(large);
      const echoed = (await socket.next((m) => Buffer.isBuffer(m) && m.length === large.length, 10_000, at)) as Buffer;
      expect(echoed.equals(large)).toBe(true);
      const text = 'é'.repeat(200_000);
      expect(await socket.ask(text, (m) => typeof m === 'string' && m.length === text.length, 10_000)).toBe(text);
      const pong = new Promise<Buffer>((resolve) => socket.ws.once('pong', resolve));
      socket.ws.ping(Buffer.from('are you there'));
      expect((await pong).toString()).toBe('are you there');
    });

    it('negotiates permessage-deflate only when the app turns it on', async () => {
      const { socket: plain } = await open(server(), 'plain');
      expect(plain.ws.extensions).toBe('');
      const deflating = await start({ app: websocketAppUrl({ deflate: '1' }) });
      const { socket } = await open(deflating, 'deflated');
      expect(socket.ws.extensions).toContain('permessage-deflate');
      const text = 'compressible '.repeat(10_000);
      expect(await socket.ask(text, (m) => m === text)).toBe(text);
    });

    it('passes close codes and reasons both ways', async () => {
      const watch = await watcher(server());
      const { socket: leaving } = await open(server(), 'leaving');
      leaving.ws.close(4000, 'bye now');
      expect(await leaving.closed).toEqual({ code: 4000, reason: 'bye now' });
      const closed = JSON.parse(String(await watch.next((m) => typeof m === 'string' && m.includes('"closed":"leaving"'))));
      expect(closed).toEqual({ closed: 'leaving', code: 4000, reason: 'bye now' });
      const { socket: closing } = await open(server(), 'closing');
      closing.ws.send('/close 4001 the server says so');
      expect(await closing.closed).toEqual({ code: 4001, reason: 'the server says so' });
    });

    it('refuses an upgrade the app answers with a Response, and answers a plain request to the same path', async () => {
      const refused = new TestSocket(`${server().url.replace('http', 'ws')}/ws?deny=1`);
      await expect(refused.opened).rejects.toMatchObject({ status: 403 });
      const plain = await fetch(`${server().url}/ws`);
      expect(plain.status).toBe(426);
      expect(await plain.text()).toBe('expected a WebSocket handshake');
      const { socket } = await open(server(), 'after-refusal');
      expect(await socket.ask('still here', (m) => m === 'still here')).toBe('still here');
    });

    it('closes a socket that sends more than maxPayloadLength with 1009, and only that one', async () => {
      const { socket: big } = await open(server(), 'too-big');
      const { socket: other } = await open(server(), 'bystander');
      big.ws.send(Buffer.alloc(LIMITS.maxBodySize + 1));
      expect((await big.closed).code).toBe(1009);
      expect(await other.ask('fine', (m) => m === 'fine')).toBe('fine');
    });

    it('closes only the socket whose handler throws or rejects, with 1011, and logs why', async () => {
      const { socket: bystander } = await open(server(), 'bystander');
      for (const command of ['/throw', '/reject']) {
        const { socket } = await open(server(), command);
        socket.ws.send(command);
        expect((await socket.closed).code).toBe(1011);
      }
      await waitFor('both failures logged', () => logger.lines.filter((line) => line.includes('WebSocket message handler threw')).length >= 2);
      expect(logger.lines.some((line) => line.includes('failed on purpose'))).toBe(true);
      expect(logger.lines.some((line) => line.includes('rejected on purpose'))).toBe(true);
      expect(await bystander.ask('unharmed', (m) => m === 'unharmed')).toBe('unharmed');
    });

    it(`delivers a publish once to every subscriber in every context (${Math.min(contexts, 2)} here), not back to the sender`, async () => {
      const members = [...(await spread(server(), Math.min(contexts, 2))).values()];
      members.push((await open(server(), 'extra-1')).socket, (await open(server(), 'extra-2')).socket);
      for (const member of members) await member.ask('/join room', (m) => m === 'joined room');
      const [sender, ...others] = members as [TestSocket, ...TestSocket[]];
      sender.ws.send('/say room hi everyone');
      for (const other of others) await other.text('hi everyone');
      // A round trip on the sender: its own publish would have come before the answer.
      await sender.ask('/whoami', isJson('worker'));
      expect(sender.messages).not.toContain('hi everyone');

      const published = await fetch(`${server().url}/publish?topic=room`, { method: 'POST', body: 'from http' });
      expect(await published.text()).toBe(String(Buffer.byteLength('from http')));
      for (const member of members) await member.text('from http');
      const leaver = others[0]!;
      await leaver.ask('/leave room', (m) => m === 'left room');
      await fetch(`${server().url}/publish?topic=room`, { method: 'POST', body: 'after leaving' });
      for (const member of members) if (member !== leaver) await member.text('after leaving');
      await leaver.ask('/whoami', isJson('worker'));
      for (const member of members) {
        await member.ask('/whoami', isJson('worker'));
        expect(member.messages.filter((m) => m === 'from http')).toHaveLength(1);
        expect(member.messages.filter((m) => m === 'hi everyone')).toHaveLength(member === sender ? 0 : 1);
        expect(member.messages.filter((m) => m === 'after leaving')).toHaveLength(member === leaver ? 0 : 1);
      }
    });

    it('keeps a client that never reads from making the server buffer without bound, and calls drain once it reads again', async () => {
      const limit = 1024 * 1024;
      const own = await start({ app: websocketAppUrl({ backpressure: String(limit) }) });
      const watch = await watcher(own);
      const { socket: slow } = await open(own, 'slow');
      const { socket: other } = await open(own, 'other');
      slow.ws.pause();
      slow.ws.send('/flood 512');
      const report = JSON.parse(String(await watch.next(isJson('flood'), 20_000))) as { sent: number; queued: number; dropped: number; buffered: number };
      expect(report.sent + report.queued + report.dropped).toBe(512);
      // 32 MiB offered to a client reading nothing: most of it dropped, at most the limit (and one message) held.
      expect(report.dropped).toBeGreaterThan(0);
      expect(report.buffered).toBeLessThanOrEqual(limit + 64 * 1024);
      expect(await other.ask('not starved', (m) => m === 'not starved')).toBe('not starved');
      slow.ws.resume();
      expect(JSON.parse(String(await watch.next(isJson('drained'), 20_000)))).toEqual({ drained: 'slow' });
    });

    it('pings quiet sockets and keeps those that answer; closes those that stay quiet past idleTimeout', async () => {
      const pinging = await start({ app: websocketAppUrl({ idle: '1', pings: '1' }) });
      const { socket: live } = await open(pinging, 'live');
      await waitFor('two pings', () => live.pings >= 2, 8_000);
      expect(live.ws.readyState).toBe(1);
      const quiet = await start({ app: websocketAppUrl({ idle: '1', pings: '0' }) });
      const { socket: idle } = await open(quiet, 'idle');
      expect(await idle.closed).toEqual({ code: 1001, reason: 'idle timeout' });
      expect(idle.pings).toBe(0);
    });

    it('closes every socket with 1001 when the server shuts down', async () => {
      const own = await start();
      const opened = await Promise.all([open(own, 'a'), open(own, 'b')]);
      const before = Date.now();
      await own.close({ graceMs: 2_000 });
      for (const { socket } of opened) expect(await socket.closed).toEqual({ code: 1001, reason: 'server shutting down' });
      expect(Date.now() - before).toBeLessThan(2_000 + 1_000);
      const after = new TestSocket(`${own.url.replace('http', 'ws')}/ws`);
      await expect(after.opened).rejects.toThrow();
    });

    if (contexts > 1) {
      it('closes the sockets of a context replaced by a reload with 1012, and serves new ones', async () => {
        const own = await start();
        const reload = (own as RunningServer & { reload?: () => Promise<void> }).reload;
        expect(typeof reload).toBe('function');
        const { socket } = await open(own, 'reloaded');
        await reload!.call(own);
        expect((await socket.closed).code).toBe(1012);
        const { socket: fresh } = await open(own, 'fresh');
        expect(await fresh.ask('after reload', (m) => m === 'after reload')).toBe('after reload');
      });

      it('closes the sockets of a thread or process that dies with 1011, and only those', async () => {
        const own = await start();
        const [first, second] = [...(await spread(own, 2)).values()] as [TestSocket, TestSocket];
        first.ws.send('/die');
        expect((await first.closed).code).toBe(1011);
        expect(await second.ask('survived', (m) => m === 'survived')).toBe('survived');
        // The context is replaced: new sockets are served again.
        const { socket } = await waitFor('a new socket served', async () => open(own, 'after').catch(() => undefined), 10_000);
        expect(await socket.ask('back', (m) => m === 'back')).toBe('back');
      });
    }

    it("runs a Hono app written for Bun's WebSockets (c.env.upgrade, the websocket export) unchanged", async () => {
      const log = new EventLog();
      try {
        const url = websocketAppUrl({ log: log.path }, 'hono');
        const own = await start({ app: url });
        const socket = new TestSocket(`${own.url.replace('http', 'ws')}/ws?name=hono`);
        sockets.push(socket);
        await socket.opened;
        await socket.text('hello hono');
        expect(await socket.ask('hi', (m) => m === 'echo: hi')).toBe('echo: hi');
        const from = socket.messages.length;
        socket.ws.send(Buffer.from([1, 2, 3]));
        expect(await socket.next((m) => m === 'echo: 3 bytes', 5_000, from)).toBe('echo: 3 bytes');
        socket.ws.close(4000, 'done');
        await socket.closed;
        expect(await log.waitFor('close ')).toBe('close true 4000 done');
        const plain = await fetch(`${own.url}/`);
        expect(await plain.text()).toBe('plain HTTP still works');
      } finally {
        log.remove();
      }
    });

    it('fails at start naming a websocket setting of the wrong type', async () => {
      const app = `data:text/javascript,${encodeURIComponent('export default { fetch: () => new Response(""), websocket: { message() {}, idleTimeout: "soon" } }')}`;
      await expect(start({ app })).rejects.toThrow(/websocket\.idleTimeout.*integer/);
    });
  });
}
