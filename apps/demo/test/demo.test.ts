import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const demoDir = fileURLToPath(new URL('..', import.meta.url));
const bin = fileURLToPath(new URL('../node_modules/.bin/switchyard', import.meta.url));

/** Starts the demo the way `pnpm start` does, and reads the URL it prints. */
async function startDemo(env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(bin, ['serve', 'dist/app.js', '--metrics', '/metrics', '--health'], {
    cwd: demoDir,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the demo printed no URL: ${output}`)), 15_000);
    const onData = (data: Buffer) => {
      output += data.toString();
      const match = /https?:\/\/[^\s)]+/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[0]);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`the demo exited with ${code}: ${output}`)));
  });
  return { child, url };
}

describe('the demo app, backend picked by SWITCHYARD_BACKEND', () => {
  let demo: { child: ChildProcess; url: string };
  beforeAll(async () => {
    demo = await startDemo({ PORT: '0', SWITCHYARD_BACKEND: 'reactor' });
  });
  afterAll(async () => {
    if (demo.child.exitCode === null) {
      demo.child.kill('SIGTERM');
      await once(demo.child, 'exit');
    }
  });

  it('says hello and which backend runs it', async () => {
    expect(await (await fetch(`${demo.url}/hello`)).text()).toBe('Hello from Switchyard (reactor, worker 0)\n');
  });

  it("links the runner's /metrics, /readyz and /livez from its page, and they answer", async () => {
    const page = await (await fetch(`${demo.url}/`)).text();
    for (const path of ['/metrics', '/readyz', '/livez']) expect(page).toContain(`href="${path}"`);
    expect(await (await fetch(`${demo.url}/readyz`)).text()).toBe('ready\n');
    expect(await (await fetch(`${demo.url}/livez`)).text()).toBe('ok\n');
  });

  it('reports health', async () => {
    const health = (await (await fetch(`${demo.url}/health`)).json()) as { status: string; backend: string };
    expect(health).toMatchObject({ status: 'ok', backend: 'reactor' });
  });

  it('echoes JSON, and refuses what is not JSON with 400', async () => {
    const ok = await fetch(`${demo.url}/echo`, { method: 'POST', body: JSON.stringify({ a: 1 }) });
    expect(await ok.json()).toEqual({ echo: { a: 1 } });
    expect((await fetch(`${demo.url}/echo`, { method: 'POST', body: '{nope' })).status).toBe(400);
    expect((await fetch(`${demo.url}/echo`)).status).toBe(405);
  });

  it('exits cleanly on SIGTERM', async () => {
    demo.child.kill('SIGTERM');
    const [code] = await once(demo.child, 'exit');
    expect(code).toBe(0);
  });
});

describe("the demo's /metrics under each backend", () => {
  for (const backend of ['reactor', 'pool', 'cluster']) {
    it(`counts the demo's own requests under ${backend}`, async () => {
      const demo = await startDemo({ PORT: '0', SWITCHYARD_BACKEND: backend, WEB_CONCURRENCY: '2' });
      try {
        for (let i = 0; i < 3; i++) expect((await fetch(`${demo.url}/hello`)).status).toBe(200);
        const deadline = Date.now() + 8_000;
        let text = '';
        let served = 0;
        while (Date.now() < deadline && served < 3) {
          text = await (await fetch(`${demo.url}/metrics`)).text();
          served = text
            .split('\n')
            .filter((line) => line.startsWith(`switchyard_requests_total{backend="${backend}"`) && line.includes('method="GET",status="2xx"'))
            .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
          if (served < 3) await new Promise((resolve) => setTimeout(resolve, 100));
        }
        expect(served).toBe(3);
        expect(text).toContain('# TYPE switchyard_request_duration_seconds histogram');
      } finally {
        demo.child.kill('SIGTERM');
        await once(demo.child, 'exit');
      }
    }, 30_000);
  }
});
