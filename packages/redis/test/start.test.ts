import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { type BackendName, serve } from '@switchyard/core';
import { reusePortMissing } from '@switchyard/threads';
import { describe, expect, it } from 'vitest';

/**
 * A `channel` URL where nothing answers fails the start: `serve()` rejects
 * with ERR_CHANNEL_CONNECT naming the URL (password hidden) and leaves the
 * port free; the CLI exits non-zero with that message, once.
 */
const app = new URL('./fixtures/chat-app.mjs', import.meta.url);
const bin = fileURLToPath(new URL('../../core/bin/switchyard.js', import.meta.url));
const BACKENDS: BackendName[] = reusePortMissing() ? ['reactor', 'pool', 'cluster'] : ['reactor', 'pool', 'cluster', 'threads'];
// Port 1 on loopback: nothing listens there, so the connection is refused at once.
const NOWHERE = 'redis://127.0.0.1:1';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Listens on `port` and closes again; rejects when something still holds it. */
async function bindable(port: number): Promise<void> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  await new Promise((resolve) => server.close(resolve));
}

describe('a channel URL that does not connect', () => {
  for (const backend of BACKENDS) {
    it(`fails ${backend}'s start with ERR_CHANNEL_CONNECT naming the URL without its password, and leaves the port free`, async () => {
      const port = await freePort();
      const url = 'redis://:hunter2@127.0.0.1:1';
      const error = await serve({ app, backend, port, host: '127.0.0.1', workers: 2, signals: false, channel: url }).then(
        async (server) => {
          await server.close();
          return undefined;
        },
        (e: unknown) => e,
      );
      expect(error).toMatchObject({ code: 'ERR_CHANNEL_CONNECT' });
      expect((error as Error).message).toContain('cannot connect to Redis at redis://:***@127.0.0.1:1');
      expect((error as Error).message).not.toContain('hunter2');
      await bindable(port);
    });
  }

  it('fails sooner, naming the option, when the URL is not a Redis URL', async () => {
    const error = await serve({ app, port: 0, signals: false, channel: 'http://127.0.0.1:6379' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ERR_INVALID_OPTION' });
    expect((error as Error).message).toContain('"channel"');
  });

  it('makes `switchyard serve --channel` exit 1 with one line that names the URL, under every backend', async () => {
    const env = { ...process.env };
    // Without the workspace's NODE_PATH: this package and the backends resolve from here, as in an app's project.
    for (const key of ['SWITCHYARD_BACKEND', 'SWITCHYARD_CHANNEL', 'PORT', 'HOST', 'WEB_CONCURRENCY', 'NODE_PATH']) delete env[key];
    const cwd = fileURLToPath(new URL('..', import.meta.url));
    for (const backend of BACKENDS) {
      const args = [bin, 'serve', fileURLToPath(app), '--backend', backend, '--port', '0', '--workers', '2', '--channel', NOWHERE];
      const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        execFile(process.execPath, args, { cwd, env, timeout: 20_000 }, (error, stdout, stderr) => {
          resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
        });
      });
      expect(code, `${backend}:\n${stderr}`).toBe(1);
      expect(stdout, backend).not.toContain('serving');
      const lines = stderr.split('\n').filter((line) => line.includes('cannot connect to Redis'));
      expect(lines, `${backend}:\n${stderr}`).toEqual([
        expect.stringMatching(/^switchyard: Invalid option "channel": cannot connect to Redis at redis:\/\/127\.0\.0\.1:1 /),
      ]);
    }
  }, 60_000);
});
