import { collectingLogger } from '@switchyard/core/conformance';
import { DEFAULT_RESOURCE_LIMITS, serve } from '@switchyard/threads';
import { describe, expect, it } from 'vitest';
import { missing } from './conformance-options.js';

const app = new URL('./fixtures/limits-app.mjs', import.meta.url);

interface Reported {
  threadId: number;
  resourceLimits: Record<string, number>;
}

/** What each thread reports, asked over fresh connections until both have answered. */
async function limitsOfEveryThread(url: string): Promise<Map<number, Record<string, number>>> {
  const seen = new Map<number, Record<string, number>>();
  for (let i = 0; i < 200 && seen.size < 2; i++) {
    const reported = (await (await fetch(url, { headers: { connection: 'close' } })).json()) as Reported;
    seen.set(reported.threadId, reported.resourceLimits);
  }
  return seen;
}

describe('threads.resourceLimits', () => {
  it.each([
    [[], /"threads\.resourceLimits": expected an object with some of maxYoungGenerationSizeMb/],
    [{ maxYoungGenerationSizeMb: 0 }, /"threads\.resourceLimits\.maxYoungGenerationSizeMb": expected a number of MiB above 0/],
    [{ maxOldGenerationSizeMb: '64' }, /"threads\.resourceLimits\.maxOldGenerationSizeMb": expected a number of MiB above 0/],
    [{ heapMb: 64 }, /"threads\.resourceLimits\.heapMb": expected one of maxYoungGenerationSizeMb, maxOldGenerationSizeMb, codeRangeSizeMb, stackSizeMb/],
  ])('refuses %j at start, naming the limit', async (resourceLimits, message) => {
    const error = await serve({ app, port: 0, signals: false, threads: { resourceLimits } }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'ERR_INVALID_OPTION', message: expect.stringMatching(message) });
  });

  it('names resourceLimits among the threads options when one is unknown', async () => {
    await expect(serve({ app, port: 0, signals: false, threads: { resourcelimits: {} } })).rejects.toMatchObject({
      code: 'ERR_INVALID_OPTION',
      message: expect.stringMatching(/"threads\.resourcelimits": expected one of .*execArgv, resourceLimits \(an unknown option\)/),
    });
  });
});

if (!missing)
  describe('threads.resourceLimits in the threads', () => {
    it('caps every thread young generation by default, and merges what is given', async () => {
      const server = await serve({ app, port: 0, workers: 2, signals: false });
      try {
        const limits = await limitsOfEveryThread(server.url);
        expect(limits.size).toBe(2);
        for (const reported of limits.values()) expect(reported.maxYoungGenerationSizeMb).toBe(DEFAULT_RESOURCE_LIMITS.maxYoungGenerationSizeMb);
      } finally {
        await server.close();
      }
      const sized = await serve({
        app,
        port: 0,
        workers: 2,
        signals: false,
        threads: { resourceLimits: { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 256 } },
      });
      try {
        for (const reported of (await limitsOfEveryThread(sized.url)).values()) {
          expect(reported).toMatchObject({ maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 256 });
        }
      } finally {
        await sized.close();
      }
    });

    it('replaces a thread that fills its old generation, and serves on', async () => {
      const logger = collectingLogger();
      const server = await serve({ app, port: 0, workers: 2, signals: false, logger, threads: { resourceLimits: { maxOldGenerationSizeMb: 48 } } });
      try {
        // The request that filled the heap is lost with its thread's connections; nothing else is.
        await expect(fetch(`${server.url}/grow`)).rejects.toThrow();
        // Until the replacement is ready too: a restart counts when the thread is started, before it listens.
        const replaced = async () => {
          const stats = await server.stats();
          return stats.restarts >= 1 && stats.workers.every((w) => w.state === 'ready');
        };
        for (let i = 0; i < 200 && !(await replaced()); i++) await new Promise((resolve) => setTimeout(resolve, 50));
        const stats = await server.stats();
        expect(stats.restarts).toBe(1);
        expect((await limitsOfEveryThread(server.url)).size).toBe(2);
        expect(logger.lines.join('\n')).toMatch(/threads: Thread \d .*(out of memory|ERR_WORKER_OUT_OF_MEMORY|exited)/i);
      } finally {
        await server.close();
      }
    }, 30_000);
  });
