import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const child = fileURLToPath(new URL('./fixtures/serve-child.mjs', import.meta.url));

/** A reactor serving the faulty app in its own process: errors nobody handles must not reach this test runner. */
class ServedApp {
  readonly lines: Array<{ level?: string; text?: string; port?: number }> = [];
  readonly exited: Promise<number | null>;
  readonly #process: ChildProcess;
  #port: Promise<number>;

  constructor(mode?: string, env: Record<string, string> = {}) {
    const base = { ...process.env };
    delete base.SWITCHYARD_TRACE_REQUESTS;
    this.#process = spawn(process.execPath, [child, ...(mode ? [mode] : [])], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...base, ...env } });
    this.exited = new Promise((resolve) => this.#process.once('exit', (code) => resolve(code)));
    this.#port = new Promise((resolve, reject) => {
      createInterface({ input: this.#process.stdout! }).on('line', (line) => {
        const parsed = JSON.parse(line) as { port?: number };
        this.lines.push(parsed);
        if (parsed.port !== undefined) resolve(parsed.port);
      });
      void this.exited.then(() => reject(new Error('the server process exited before it listened')));
    });
  }

  async get(path: string): Promise<{ status: number; body: string } | 'refused'> {
    try {
      const response = await fetch(`http://127.0.0.1:${await this.#port}${path}`);
      return { status: response.status, body: await response.text() };
    } catch {
      return 'refused';
    }
  }

  async waitForLine(part: string): Promise<string> {
    for (let i = 0; i < 250; i++) {
      const found = this.lines.find((line) => line.text?.includes(part));
      if (found) return found.text!;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`no log line with "${part}"; got ${JSON.stringify(this.lines)}`);
  }

  kill(): void {
    this.#process.kill('SIGKILL');
  }
}

const running: ServedApp[] = [];
const start = (mode?: string, env?: Record<string, string>) => {
  const app = new ServedApp(mode, env);
  running.push(app);
  return app;
};
afterEach(() => {
  for (const app of running.splice(0)) app.kill();
});

describe("unhandledErrors: 'log'", () => {
  it.each([
    ['/stray-reject', 'stray rejection'],
    ['/timer-throw', 'thrown from a timer'],
    ['/late-reject', 'rejected after an await'],
  ])('logs what %s leaves unhandled with its request, and keeps serving', async (path, message) => {
    const app = start('log', { SWITCHYARD_TRACE_REQUESTS: '1' });
    expect(await app.get(path)).toMatchObject({ status: 200 });
    const line = await app.waitForLine(message);
    expect(line).toContain(`GET ${path}: `);
    for (let i = 0; i < 3; i++) expect(await app.get('/ok')).toEqual({ status: 200, body: 'ok' });
  });

  it('names the request by default only from Node 24, and says how to get it before', async () => {
    const app = start('log');
    expect(await app.get('/stray-reject')).toMatchObject({ status: 200 });
    const line = await app.waitForLine('stray rejection');
    if (Number(process.versions.node.split('.')[0]) >= 24) expect(line).toContain('GET /stray-reject: ');
    else expect(line).toContain('SWITCHYARD_TRACE_REQUESTS=1 names it');
    expect(await app.get('/ok')).toEqual({ status: 200, body: 'ok' });
  });
});

describe("unhandledErrors: 'crash' (the default from code)", () => {
  it("leaves Node's default: the process ends", async () => {
    const app = start();
    expect(await app.get('/stray-reject')).toMatchObject({ status: 200 });
    expect(await app.exited).not.toBe(0);
  });
});
