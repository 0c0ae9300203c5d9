/**
 * An app instance for the deploy benches, as `switchyard serve` runs it,
 * from the demo's folder (which has every backend and @switchyard/redis
 * installed).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { freePort } from '../load-kit.mjs';

const BIN = fileURLToPath(new URL('../../../packages/core/bin/switchyard.js', import.meta.url));
export const DEMO_DIR = fileURLToPath(new URL('../../../apps/demo/', import.meta.url));

/** Serves `app` under `backend` on a free port; resolves once it serves, with its port, URL and a SIGTERM stop. */
export async function startInstance(app, backend, workers, { args = [], env = {} } = {}) {
  const port = await freePort();
  const argv = [BIN, 'serve', app, '--backend', backend, '--port', String(port), '--workers', String(workers), ...args];
  const child = spawn(process.execPath, argv, { cwd: DEMO_DIR, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  await new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (out.includes(' serving ')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`${backend} exited with ${code}: ${out}`)));
  });
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    async stop() {
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}
