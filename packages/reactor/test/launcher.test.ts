import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The core CLI, run from this package so that @switchyard/reactor resolves.
const bin = fileURLToPath(new URL('../../core/bin/switchyard.js', import.meta.url));
const hello = fileURLToPath(new URL('../../core/test/fixtures/hello.mjs', import.meta.url));
const packageDir = fileURLToPath(new URL('..', import.meta.url));

/**
 * A stand-in for npx: a process that starts the CLI and, like npx, does not
 * pass SIGTERM on. It prints the CLI's pid, then relays its output.
 */
const LAUNCHER = `
const { spawn } = require('node:child_process');
const [bin, app, marker] = process.argv.slice(1);
const env = { ...process.env };
if (marker) env.npm_command = 'exec';
const child = spawn(process.execPath, [bin, 'serve', app, '--port', '0'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
console.log('pid ' + child.pid);
child.stdout.pipe(process.stdout);
process.on('SIGTERM', () => process.exit(143));
`;

async function launch(asPackageManager: boolean): Promise<{ launcher: ReturnType<typeof spawn>; pid: number; url: string }> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_|^NODE_PATH$|^PORT$|^SWITCHYARD_BACKEND$/i.test(key)));
  const launcher = spawn(process.execPath, ['-e', LAUNCHER, bin, hello, asPackageManager ? '1' : ''], {
    cwd: packageDir,
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "serving" line within 15 s:\n${output}`)), 15_000);
    launcher.stdout!.on('data', (chunk: Buffer) => {
      output += chunk;
      const pid = /^pid (\d+)$/m.exec(output);
      const url = / at (http:\S+) \(1 worker\)$/m.exec(output);
      if (pid && url) {
        clearTimeout(timer);
        resolve({ launcher, pid: Number(pid[1]), url: url[1]! });
      }
    });
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Waits up to `ms` for `pid` to be gone. */
async function goneWithin(pid: number, ms: number): Promise<boolean> {
  for (const deadline = Date.now() + ms; Date.now() < deadline; ) {
    if (!alive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return !alive(pid);
}

describe.runIf(process.platform === 'linux')('the CLI and the process that launched it', () => {
  it('stops when the npx-like launcher that started it is killed, after answering', async () => {
    const { launcher, pid, url } = await launch(true);
    try {
      expect(await (await fetch(url)).text()).toBe('hello GET /');
      launcher.kill('SIGTERM');
      await once(launcher, 'exit');
      expect(await goneWithin(pid, 10_000)).toBe(true);
      await expect(fetch(url)).rejects.toThrow();
    } finally {
      if (alive(pid)) process.kill(pid, 'SIGKILL');
    }
  }, 30_000);

  it('keeps serving when started directly, as under nohup, once its parent has gone', async () => {
    const { launcher, pid, url } = await launch(false);
    try {
      launcher.kill('SIGTERM');
      await once(launcher, 'exit');
      // Longer than the launcher watch's poll: a watch would have acted by now.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(alive(pid)).toBe(true);
      expect(await (await fetch(url)).text()).toBe('hello GET /');
    } finally {
      process.kill(pid, 'SIGTERM');
      await goneWithin(pid, 10_000);
      if (alive(pid)) process.kill(pid, 'SIGKILL');
    }
  }, 30_000);
});
