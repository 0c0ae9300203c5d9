import { fileURLToPath } from 'node:url';
import { serve } from '@switchyard/threads';
import { describe, expect, it } from 'vitest';
import { startServing } from '../../../test-support/serving-process.mjs';
import { missing } from './conformance-options.js';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const stripsTypes = Boolean((process.features as { typescript?: unknown }).typescript);

interface Answer {
  loader: string;
  path: string;
  workerId: number;
}

/** Asks until both threads have answered (the kernel picks the thread by a hash of the connection); returns what they said. */
async function fromEveryThread(url: string): Promise<{ answers: Set<string>; workers: Set<number> }> {
  const answers = new Set<string>();
  const workers = new Set<number>();
  for (let i = 0; i < 200 && workers.size < 2; i++) {
    const got = (await (await fetch(`${url}/ts`, { headers: { connection: 'close' } })).json()) as Answer;
    answers.add(`${got.loader} ${got.path}`);
    workers.add(got.workerId);
  }
  return { answers, workers };
}

describe.runIf(!missing)('threads: an app written in TypeScript', () => {
  it.runIf(stripsTypes)("loads in every thread with Node's own type stripping", async () => {
    const server = await serve({ app: fixture('typed-app.ts'), port: 0, workers: 2, signals: false });
    try {
      const { answers, workers } = await fromEveryThread(server.url);
      expect([...answers]).toEqual(['node /ts']);
      expect([...workers].sort()).toEqual([1, 2]);
    } finally {
      await server.close();
    }
  });

  // Node runs NODE_OPTIONS' preloads on the main thread only, and before 22.22 tsx's hooks stay there too.
  it('loads in every thread under NODE_OPTIONS="--import tsx", syntax Node cannot strip included', async () => {
    const bin = fileURLToPath(new URL('../../core/bin/switchyard.js', import.meta.url));
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_OPTIONS: '--import tsx' };
    for (const key of ['SWITCHYARD_BACKEND', 'PORT', 'WEB_CONCURRENCY', 'NODE_PATH']) delete env[key];
    const args = [bin, 'serve', fixture('enum-app.ts'), '--backend', 'threads', '--workers', '2', '--port', '0'];
    // From this package, where tsx is installed, as a user's project would have it.
    const cwd = fileURLToPath(new URL('..', import.meta.url));
    const server = await startServing(process.execPath, args, { cwd, env, banner: / at (http:\S+) \(2 workers\)$/m });
    try {
      const { answers, workers } = await fromEveryThread(server.url);
      expect([...answers]).toEqual(['tsx /ts']);
      expect([...workers].sort()).toEqual([1, 2]);
      // A thread that failed to load the app first would have been logged and replaced.
      expect(server.output()).not.toContain('failed to start');
    } finally {
      await server.stop();
    }
  }, 40_000);
});
