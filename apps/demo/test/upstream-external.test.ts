import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { RunningServer } from '@switchyard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, startDemo } from './support/start-demo.js';

const serviceMain = fileURLToPath(new URL('../dist/upstream/main.js', import.meta.url));

/** Runs the upstream service as its own process, as the bench does, and reads the URL it prints. */
async function startService(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [serviceMain, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = (await once(child.stdout!, 'data')) as [Buffer];
  return { child, url: line.toString().trim() };
}

async function stopService(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  child.kill('SIGTERM');
  const [code] = (await once(child, 'exit')) as [number | null];
  return code;
}

describe.each(backends)('/upstream under %s, with DEMO_UPSTREAM_URL naming a service of its own', (backend) => {
  let service: { child: ChildProcess; url: string };
  let server: RunningServer;
  beforeAll(async () => {
    service = await startService();
    // Threads and processes inherit the environment as it is when they start.
    process.env.DEMO_UPSTREAM_URL = service.url;
    try {
      server = await startDemo(backend);
    } finally {
      delete process.env.DEMO_UPSTREAM_URL;
    }
  });
  afterAll(async () => {
    await server?.close();
    await stopService(service.child);
  });

  it('prints its URL and answers on it', async () => {
    expect(service.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await (await fetch(`${service.url}/?ms=0`)).json()).toMatchObject({ ms: 0, connection: 1, requestsOnConnection: 1 });
  });

  it('is the upstream /upstream calls', async () => {
    const response = await fetch(`${server.url}/upstream?ms=5`);
    expect(response.status).toBe(200);
    // The test's own request above was connection 1: the demo's come after it.
    const body = (await response.json()) as { upstream: { connection: number } };
    expect(body.upstream.connection).toBeGreaterThan(1);
  });

  it('gives 502 with a clear body once the upstream is gone, and keeps serving', async () => {
    expect(await stopService(service.child)).toBe(0);
    const response = await fetch(`${server.url}/upstream?ms=5`);
    expect(response.status).toBe(502);
    expect(await response.text()).toMatch(
      /^Bad gateway: the upstream service (refused the connection \(ECONNREFUSED\)|reset the connection \(ECONNRESET\))\n$/,
    );
    expect((await fetch(`${server.url}/hello`)).status).toBe(200);
  });
});
