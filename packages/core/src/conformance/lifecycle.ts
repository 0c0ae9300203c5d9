import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { waitFor } from './helpers.js';
import type { SuiteEnv } from './index.js';

interface ContextInfo {
  backend: string;
  workerId: number;
  setupWorkerId: number;
}

/** Contexts, setup/teardown, channels, client disconnects, stats and shutdown. */
export function lifecycleTests(env: SuiteEnv): void {
  const { backend, capabilities } = env.options;

  describe('contexts', () => {
    it('tells the handler its backend and worker id, the same one setup saw', async () => {
      const seen = new Set<number>();
      for (let i = 0; i < 4 * capabilities.contexts; i++) {
        const info = (await (await fetch(env.url('/context'))).json()) as ContextInfo;
        expect(info.backend).toBe(backend);
        expect(info.workerId).toBe(info.setupWorkerId);
        seen.add(info.workerId);
      }
      for (const id of seen) {
        if (capabilities.contexts === 1) expect(id).toBe(0);
        else expect(id).toBeGreaterThanOrEqual(1);
      }
    });

    it('runs setup once per context before traffic, and teardown once per context on close', async () => {
      const { server, log } = await env.start();
      const setups = log.lines().filter((line) => line.startsWith('setup '));
      expect(setups).toHaveLength(capabilities.contexts);
      expect(new Set(setups.map((line) => line.split(' ')[2])).size).toBe(capabilities.contexts);
      expect(setups.every((line) => line.split(' ')[1] === backend)).toBe(true);
      expect((await fetch(`${server.url}/text`)).status).toBe(200);
      await server.close();
      const teardowns = log.lines().filter((line) => line.startsWith('teardown '));
      expect(teardowns).toHaveLength(capabilities.contexts);
    });
  });

  describe('channels', () => {
    it('delivers a message published anywhere to subscribers in every context', async () => {
      const streams = 2 * capabilities.contexts;
      const subscribe = async () => {
        const controller = new AbortController();
        // A connection of its own: on a shared port (threads) the kernel, not a round robin, picks the context.
        const response = await fetch(env.url('/subscribe?channel=room'), { signal: controller.signal, headers: { connection: 'close' } });
        const reader = response.body!.getReader();
        const decoder = new TextDecoder();
        let text = '';
        while (!text.includes('event: ready')) {
          const { value, done } = await reader.read();
          if (done) throw new Error('subscription ended early');
          text += decoder.decode(value, { stream: true });
        }
        return { controller, reader, decoder, text, workerId: Number(/event: ready\ndata: (\d+)/.exec(text)![1]) };
      };
      const subscribers = await Promise.all(Array.from({ length: streams }, subscribe));
      // Hashing may put the first few on one context: add streams until two contexts hold some (bounded).
      for (let i = 0; capabilities.sharedPort && i < 16 && new Set(subscribers.map((s) => s.workerId)).size < 2; i++) subscribers.push(await subscribe());
      if (capabilities.contexts > 1) {
        expect(new Set(subscribers.map((s) => s.workerId)).size).toBeGreaterThan(1);
      }
      const published = await fetch(env.url('/publish?channel=room'), { method: 'POST', body: 'hello room' });
      expect(published.status).toBe(202);
      await Promise.all(
        subscribers.map(async (s) => {
          const deadline = Date.now() + 5_000;
          while (!s.text.includes('data: hello room') && Date.now() < deadline) {
            const { value, done } = await s.reader.read();
            if (done) break;
            s.text += s.decoder.decode(value, { stream: true });
          }
          expect(s.text).toContain('data: hello room');
          s.controller.abort();
        }),
      );
    });
  });

  describe('client disconnects', () => {
    it('aborts ctx.signal when the client goes away', async () => {
      const socket = connect(env.server.port, '127.0.0.1');
      socket.on('error', () => {});
      socket.write('GET /wait?id=gone HTTP/1.1\r\nHost: t\r\n\r\n');
      await env.log.waitFor('waiting gone');
      socket.destroy();
      const line = await env.log.waitFor('aborted gone');
      expect(line).toBe('aborted gone AbortError');
    });

    it('stops a stream when its client leaves', async () => {
      const controller = new AbortController();
      const response = await fetch(env.url('/infinite?id=leave'), { signal: controller.signal });
      await response.body!.getReader().read();
      controller.abort();
      await env.log.waitFor('pulled leave ');
    });
  });

  describe('stats and shutdown', () => {
    it('reports requests, in-flight and event-loop figures', async () => {
      await fetch(env.url('/text'));
      const stats = await env.server.stats();
      expect(stats.backend).toBe(backend);
      expect(stats.requests).toBeGreaterThan(0);
      expect(stats.inFlight).toBeGreaterThanOrEqual(0);
      expect(stats.eventLoop.delayP99Ms).toBeGreaterThanOrEqual(stats.eventLoop.delayP50Ms);
      expect(stats.eventLoop.utilization).toBeGreaterThanOrEqual(0);
      expect(stats.eventLoop.utilization).toBeLessThanOrEqual(1);
      expect(stats.workers).toHaveLength(capabilities.contexts);
    });

    it('lets in-flight requests finish on close, refuses new ones, and closes twice safely', async () => {
      const { server } = await env.start();
      const inFlight = fetch(`${server.url}/sleep?ms=300`);
      await waitFor('the request to be in flight', async () => (await server.stats()).inFlight > 0 || undefined);
      const closing = server.close({ graceMs: 5_000 });
      const response = await inFlight;
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('slept');
      await closing;
      await server.close();
      await expect(fetch(`${server.url}/text`)).rejects.toThrow();
    });

    it("aborts setup's signal as close begins, so an app can end its event streams within the grace period", async () => {
      const { server } = await env.start();
      const response = await fetch(`${server.url}/until-shutdown`);
      const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
      let text = (await reader.read()).value ?? '';
      expect(text).toContain('event: open');
      // A grace period longer than the test's timeout: only the app ending its stream lets close finish in time.
      const closing = server.close({ graceMs: 60_000 });
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        text += value;
      }
      expect(text).toContain('event: bye');
      await closing;
    });

    it('cuts requests still running when the grace period ends', async () => {
      const { server } = await env.start();
      const hanging = fetch(`${server.url}/sleep?ms=10000`).then(
        (response) => response.status,
        () => 'cut',
      );
      await waitFor('the request to be in flight', async () => (await server.stats()).inFlight > 0 || undefined);
      await server.close({ graceMs: 100 });
      expect(await hanging).toBe('cut');
    });
  });
}
