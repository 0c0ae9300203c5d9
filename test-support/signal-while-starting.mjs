// `switchyard serve` signalled while its app's setup runs (held-setup-app.mjs),
// for the tests of what a signal does before the server has started.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../packages/core/bin/switchyard.js', import.meta.url));
const APP = fileURLToPath(new URL('./held-setup-app.mjs', import.meta.url));

async function until(check, what, ms = 20_000) {
  for (const end = Date.now() + ms; Date.now() < end; ) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * Serves the held app with `args`, sends `signal` once its setup has begun
 * and the CLI has said it keeps the signal, then lets the setup go. With
 * `stopOnceOutput`, sends SIGTERM once the output matches it (for a signal
 * that does not stop the server). Resolves with how the process ended and
 * what it printed.
 */
export async function signalWhileStarting({ cwd, args, signal = 'SIGTERM', stopOnceOutput }) {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-held-setup-'));
  const app = join(dir, 'app.mjs');
  copyFileSync(APP, app);
  const env = { ...process.env };
  for (const key of ['SWITCHYARD_BACKEND', 'PORT', 'WEB_CONCURRENCY', 'NODE_PATH', 'NODE_OPTIONS']) delete env[key];
  const child = spawn(process.execPath, [BIN, 'serve', app, '--port', '0', ...args], { cwd, env });
  const killer = setTimeout(() => child.kill('SIGKILL'), 40_000);
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = once(child, 'exit');
  try {
    await until(() => readdirSync(dir).some((name) => name.startsWith('setup-')), 'the setup to begin');
    child.kill(signal);
    await until(() => output.includes(`${signal} while starting`), 'the CLI to keep the signal', 5_000).catch(() => {});
    writeFileSync(join(dir, 'go'), '');
    if (stopOnceOutput) {
      await until(() => stopOnceOutput.test(output), String(stopOnceOutput));
      child.kill('SIGTERM');
    }
    const [code, signalCode] = await exited;
    return { code, signal: signalCode, output };
  } finally {
    clearTimeout(killer);
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}
