import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startServing } from '../../../test-support/serving-process.mjs';
import { json } from './helpers.js';

const bin = fileURLToPath(new URL('../../core/bin/switchyard.js', import.meta.url));
// V8 and process-wide flags: a thread given them in a list refuses to start, one that inherits them starts.
const NODE_FLAGS = ['--max-old-space-size=512', '--expose-gc', '--stack-size=2000'];

/** `switchyard serve <app> --backend pool` under `node <NODE_FLAGS>`, with `env` added; the threads that answered. */
async function threadsAnswering(app: URL, path: string, env: NodeJS.ProcessEnv = {}): Promise<Set<number>> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  for (const key of ['SWITCHYARD_BACKEND', 'PORT', 'WEB_CONCURRENCY', 'NODE_PATH']) delete childEnv[key];
  if (env.NODE_OPTIONS === undefined) delete childEnv.NODE_OPTIONS;
  const args = [...NODE_FLAGS, bin, 'serve', fileURLToPath(app), '--backend', 'pool', '--workers', '2', '--port', '0'];
  // From this package, where tsx is installed, as a user's project would have it.
  const cwd = fileURLToPath(new URL('..', import.meta.url));
  const server = await startServing(process.execPath, args, { cwd, env: childEnv, banner: / at (http:\S+) \(2 threads \+ express lane\)$/m });
  try {
    const workers = new Set<number>();
    for (let i = 0; i < 8; i++) {
      const got = await json<{ workerId: number }>(fetch(`${server.url}${path}`, { headers: { connection: 'close' } }));
      workers.add(got.workerId);
    }
    return workers;
  } finally {
    await server.stop();
  }
}

describe('pool: started under Node flags that threads may not be given', () => {
  it('serves from its threads under node --max-old-space-size --expose-gc --stack-size', async () => {
    const workers = await threadsAnswering(new URL('./fixtures/app.mjs', import.meta.url), '/whoami');
    expect(workers.size).toBeGreaterThan(0);
    expect([...workers].every((id) => [1, 2, 3].includes(id))).toBe(true);
  }, 40_000);

  it('and with NODE_OPTIONS="--import tsx" too, whose preload the threads are given in a list', async () => {
    const workers = await threadsAnswering(new URL('./fixtures/typed/app.ts', import.meta.url), '/flags', { NODE_OPTIONS: '--import tsx' });
    expect(workers.size).toBeGreaterThan(0);
    expect([...workers].every((id) => [1, 2, 3].includes(id))).toBe(true);
  }, 40_000);
});
