import { collectingLogger } from '@switchyard/core/conformance';
import { reusePortMissing, serve } from '@switchyard/threads';
import { describe, expect, it } from 'vitest';
import { missing } from './conformance-options.js';

const app = new URL('../../core/fixtures/conformance-app.mjs', import.meta.url);
const failingSetup = new URL('../../cluster/test/fixtures/failing-setup.mjs', import.meta.url);

describe('threads: where the shared port comes from', () => {
  it('knows which Node versions and platforms share a port among listeners', () => {
    expect(reusePortMissing('20.20.2', 'linux')).toMatch(/Node 20\.20\.2 has no server\.listen\(\{ reusePort \}\)/);
    expect(reusePortMissing('22.11.0', 'linux')).toMatch(/22\.12 and 23\.1/);
    expect(reusePortMissing('22.12.0', 'linux')).toBeUndefined();
    expect(reusePortMissing('23.0.0', 'linux')).toMatch(/23\.1/);
    expect(reusePortMissing('23.1.0', 'linux')).toBeUndefined();
    expect(reusePortMissing('26.12.1', 'linux')).toBeUndefined();
    expect(reusePortMissing('26.12.1', 'darwin')).toMatch(/darwin does not share a port/);
    expect(reusePortMissing('26.12.1', 'win32')).toMatch(/win32/);
  });

  if (missing) {
    it('fails at start on this Node with ERR_REUSEPORT_UNSUPPORTED, naming what is missing and what to use instead', async () => {
      const error = await serve({ app, port: 0, signals: false }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toMatchObject({ code: 'ERR_REUSEPORT_UNSUPPORTED' });
      expect((error as Error).message).toContain(`Node ${process.versions.node}`);
      expect((error as Error).message).toContain('--backend cluster');
    });
  } else {
    it('serves one port from every thread, the kernel spreading connections among them', async () => {
      const server = await serve({ app, port: 0, workers: 2, signals: false });
      try {
        const seen = new Set<string>();
        for (let i = 0; i < 200 && seen.size < 2; i++) {
          const response = await fetch(`${server.url}/context`, { headers: { connection: 'close' } });
          seen.add(String(((await response.json()) as { workerId: number }).workerId));
        }
        expect(seen.size).toBe(2);
        const stats = await server.stats();
        expect(stats.backend).toBe('threads');
        expect(stats.workers.map((w) => w.pid)).toEqual([process.pid, process.pid]);
      } finally {
        await server.close();
      }
    });

    // The supervision is the cluster's (tested there in full); these check it runs threads the same way.
    it('stops on a crash loop instead of spinning: serve() rejects naming the thread and the failure', async () => {
      const logger = collectingLogger();
      const failing = serve({
        app: failingSetup,
        port: 0,
        workers: 2,
        signals: false,
        logger,
        threads: { restartDelayMs: 10, crashLoopLimit: 3 },
      });
      await expect(failing).rejects.toMatchObject({
        code: 'ERR_CRASH_LOOP',
        message: expect.stringMatching(/^Crash loop: thread \d failed 3 times in a row.*\(threads\.crashLoopLimit is 3\).*database unreachable/),
      });
      // Each restart on the way is logged under the backend's name.
      const restarts = logger.lines.filter((line) => line.includes('starting a new one in'));
      expect(restarts.length).toBeGreaterThanOrEqual(2);
      for (const line of restarts) expect(line).toMatch(/^\[switchyard\] threads: Thread \d \(thread \d+\) failed to start \(.*database unreachable/);
    });

    it('replaces every thread on reload, and serves on', async () => {
      const server = await serve({ app, port: 0, workers: 2, signals: false, logger: collectingLogger() });
      try {
        await server.reload();
        const stats = await server.stats();
        expect(stats.restarts).toBe(2);
        expect(stats.workers.map((w) => [w.id, w.state])).toEqual([
          [1, 'ready'],
          [2, 'ready'],
        ]);
        expect((await fetch(`${server.url}/text`)).status).toBe(200);
      } finally {
        await server.close();
      }
    });

    it('refuses a port another listener holds, even one that shares ports itself', async () => {
      const first = await serve({ app, port: 0, workers: 1, signals: false });
      try {
        await expect(serve({ app, port: first.port, workers: 1, signals: false })).rejects.toMatchObject({ code: 'ERR_PORT_IN_USE' });
      } finally {
        await first.close();
      }
    });
  }

  it('refuses threads.maxRssBytes, which threads sharing one process cannot honour', async () => {
    await expect(serve({ app, port: 0, signals: false, threads: { maxRssBytes: 1_000_000 } })).rejects.toThrow(/threads\.maxRssBytes/);
  });
});
