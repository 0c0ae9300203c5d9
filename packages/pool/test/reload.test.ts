import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { startPool, tempDir, waitFor } from './helpers.js';

const dir = tempDir();
const file = join(dir, 'app.mjs');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Version `version` of the app: `/slow` answers after 300 ms, anything else at once. */
function writeApp(version: string): void {
  writeFileSync(
    file,
    `export default {
  async fetch(request, ctx) {
    if (new URL(request.url).pathname === '/slow') await new Promise((resolve) => setTimeout(resolve, 300));
    return new Response('${version} ' + ctx.workerId);
  },
};\n`,
  );
}

/** What `count` fresh connections get: each may land on any thread. */
async function versions(url: string, count = 12): Promise<Set<string>> {
  const seen = new Set<string>();
  for (let i = 0; i < count; i++) {
    const text = await (await fetch(url, { headers: { connection: 'close' } })).text();
    seen.add(text.split(' ')[0]!);
  }
  return seen;
}

describe('pool reload', () => {
  it('gives every thread the app anew, lets held requests finish, and keeps the old app when the new one does not load', async () => {
    writeApp('v1');
    const server = await startPool({ app: pathToFileURL(file), pool: { expressLane: true } });
    try {
      expect(await versions(server.url)).toEqual(new Set(['v1']));

      // A request held across the reload is answered by the app it started on.
      const held = fetch(`${server.url}/slow`).then(async (response) => [response.status, await response.text()] as const);
      await new Promise((resolve) => setTimeout(resolve, 50));
      writeApp('v2');
      await server.reload();
      const [status, text] = await held;
      expect(status).toBe(200);
      expect(text.startsWith('v1 ')).toBe(true);
      expect(await versions(server.url)).toEqual(new Set(['v2']));
      const stats = await server.stats();
      // Two serving threads and the express lane, each replaced once.
      expect(stats.workers.map((w) => w.restarts)).toEqual([1, 1, 1]);

      writeFileSync(file, 'export default { fetch( };\n');
      const error = await server.reload().catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'ERR_RELOAD_FAILED' });
      expect((error as Error).message).toContain('keep serving the app as it was');
      expect(await versions(server.url)).toEqual(new Set(['v2']));

      writeApp('v3');
      await server.reload();
      expect(await versions(server.url)).toEqual(new Set(['v3']));
    } finally {
      await server.close();
    }
  }, 30_000);

  it('finishes a reload that the standby, failing since the last reload, retries in the middle of', async () => {
    writeApp('v1');
    const server = await startPool({ app: pathToFileURL(file) });
    try {
      writeFileSync(file, 'export default { fetch( };\n');
      await expect(server.reload()).rejects.toMatchObject({ code: 'ERR_RELOAD_FAILED' });
      // The standby started after the failed reload cannot load the app either: it retries in 1 s.
      await waitFor(() => server.logger.lines.some((line) => line.includes("the pool's standby thread ended")), 10_000, 'the standby to fail');
      // Each thread of the next reload takes 1.5 s to load the app, so the retry comes while the first one loads.
      writeFileSync(
        file,
        `await new Promise((resolve) => setTimeout(resolve, 1500));\nexport default { fetch: (request, ctx) => new Response('v2 ' + ctx.workerId) };\n`,
      );
      await server.reload();
      expect(await versions(server.url)).toEqual(new Set(['v2']));
    } finally {
      await server.close();
    }
  }, 30_000);
});
