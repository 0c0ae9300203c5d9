import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SwitchyardError } from '@switchyard/core';
import { serve } from '@switchyard/reactor';

// The core CLI, run from this package so that @switchyard/reactor resolves.
const bin = fileURLToPath(new URL('../../core/bin/switchyard.js', import.meta.url));
const packageDir = fileURLToPath(new URL('..', import.meta.url));

let dir: string;
let app: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'switchyard-reactor-'));
  app = join(dir, 'app.mjs');
  // The header says whether the global Response is core's (whose constructor inherits from the platform's).
  await writeFile(
    app,
    `const fast = String(Object.getPrototypeOf(Response) !== Function.prototype);
export default { fetch: (request) => new Response('hi from ' + new URL(request.url).pathname, { headers: { 'x-fast-globals': fast } }) };\n`,
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('reactor listen errors', () => {
  it('fails with ERR_PORT_IN_USE when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as AddressInfo;
    try {
      const error = await serve({ app, port, host: '127.0.0.1', signals: false }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SwitchyardError);
      expect(error).toMatchObject({ code: 'ERR_PORT_IN_USE' });
      expect((error as Error).message).toContain(`127.0.0.1:${port}`);
    } finally {
      blocker.close();
    }
  });
});

/** Starts the CLI; resolves with the URL from its "serving" line, or rejects with its output. */
function startCli(args: string[], env: Record<string, string>): { child: ChildProcess; url: Promise<string> } {
  const base = { ...process.env };
  for (const key of ['SWITCHYARD_BACKEND', 'PORT', 'HOST', 'WEB_CONCURRENCY', 'SWITCHYARD_FAST_GLOBALS']) delete base[key];
  const child = spawn(process.execPath, [bin, ...args], { cwd: packageDir, env: { ...base, ...env } });
  let output = '';
  const url = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no "serving" line within 15 s:\n${output}`));
    }, 15_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk;
      const line = `switchyard: reactor serving ${app} at `;
      const match = /^(.*) (http:\/\/127\.0\.0\.1:\d+) \(1 worker\)$/m.exec(output);
      if (match) {
        clearTimeout(timer);
        if (`${match[1]} ` === line) resolve(match[2]!);
        else reject(new Error(`unexpected "serving" line: ${match[0]}`));
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before serving:\n${output}`));
    });
  });
  return { child, url };
}

/** Fetches from the served app, then stops it with SIGTERM and returns the exit code. */
async function fetchThenTerminate(child: ChildProcess, url: string, fastGlobals = true): Promise<number | null> {
  try {
    const response = await fetch(`${url}/ping`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('hi from /ping');
    expect(response.headers.get('x-fast-globals')).toBe(String(fastGlobals));
  } finally {
    child.kill('SIGTERM');
  }
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  const [code] = (await once(child, 'exit')) as [number | null];
  clearTimeout(timer);
  return code;
}

describe('switchyard CLI with the reactor', () => {
  it('serves from flags and exits 0 on SIGTERM', async () => {
    const { child, url } = startCli(['serve', app, '--backend', 'reactor', '--port', '0'], {});
    expect(await fetchThenTerminate(child, await url)).toBe(0);
  });

  it('takes the backend and port from SWITCHYARD_BACKEND and PORT', async () => {
    const { child, url } = startCli(['serve', app], { SWITCHYARD_BACKEND: 'reactor', PORT: '0' });
    expect(await fetchThenTerminate(child, await url)).toBe(0);
  });

  it('keeps the platform globals with --no-fast-globals or SWITCHYARD_FAST_GLOBALS=0', async () => {
    for (const [args, env] of [
      [['--no-fast-globals'], {}],
      [[], { SWITCHYARD_FAST_GLOBALS: '0' }],
    ] as const) {
      const { child, url } = startCli(['serve', app, '--port', '0', ...args], env);
      expect(await fetchThenTerminate(child, await url, false)).toBe(0);
    }
  });

  it('lets --port override PORT', async () => {
    // PORT names a port that is taken, so only the flag can make this start.
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    try {
      const taken = String((blocker.address() as AddressInfo).port);
      const { child, url } = startCli(['serve', app, '--port', '0'], { PORT: taken });
      expect(await url).not.toContain(`:${taken}`);
      expect(await fetchThenTerminate(child, await url)).toBe(0);
    } finally {
      blocker.close();
    }
  });
});
