import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const cli = fileURLToPath(new URL('../../core/bin/switchyard.js', import.meta.url));
const app = fileURLToPath(new URL('./fixtures/faulty-app.mjs', import.meta.url));
const cwd = fileURLToPath(new URL('..', import.meta.url));

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

/** `switchyard serve` on the faulty app, as a user runs it: the supervisor and the reactor it starts. */
class Cli {
  output = '';
  readonly exit: Promise<number | null>;
  readonly process: ChildProcess;

  constructor(
    readonly port: number,
    flags: string[],
  ) {
    // Stray errors are named with their request on every Node version.
    const env: NodeJS.ProcessEnv = { ...process.env, SWITCHYARD_TRACE_REQUESTS: '1' };
    for (const key of ['SWITCHYARD_BACKEND', 'PORT', 'HOST', 'SWITCHYARD_UNHANDLED_ERRORS']) delete env[key];
    this.process = spawn(process.execPath, [cli, 'serve', app, '--backend', 'reactor', '--port', String(port), ...flags], {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.process.stdout!.on('data', (chunk: Buffer) => (this.output += chunk));
    this.process.stderr!.on('data', (chunk: Buffer) => (this.output += chunk));
    this.exit = new Promise((resolve) => this.process.once('exit', (code) => resolve(code)));
  }

  async get(path: string): Promise<string | undefined> {
    try {
      const response = await fetch(`http://127.0.0.1:${this.port}${path}`, { signal: AbortSignal.timeout(2_000) });
      return await response.text();
    } catch {
      return undefined;
    }
  }

  /** Polls until `check` holds, for at most `timeoutMs`. */
  async until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const value = await check();
      if (value !== undefined) return value;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`timed out waiting for ${what}; output:\n${this.output}`);
  }

  servingPid(): Promise<string> {
    return this.until('the server to answer', () => this.get('/pid'));
  }
}

const running: Cli[] = [];
async function start(flags: string[] = []): Promise<Cli> {
  const run = new Cli(await freePort(), flags);
  running.push(run);
  return run;
}
afterEach(async () => {
  for (const run of running.splice(0)) {
    run.process.kill('SIGKILL');
    await run.exit;
  }
});

describe('the CLI supervises the reactor', () => {
  it('starts another server on the same port when the app calls process.exit', async () => {
    const run = await start();
    const first = await run.servingPid();
    expect(await run.get('/exit')).toBeUndefined();
    const second = await run.until('a new server', async () => {
      const pid = await run.get('/pid');
      return pid !== undefined && pid !== first ? pid : undefined;
    });
    expect(second).not.toBe(first);
    expect(run.output).toContain('exited with code 3');
  });

  it('kills a server whose event loop is stuck, after the watchdog timeout, and starts another', async () => {
    const run = await start(['--watchdog-ms', '500']);
    const first = await run.servingPid();
    void run.get('/spin');
    const second = await run.until('a new server', async () => {
      const pid = await run.get('/pid');
      return pid !== undefined && pid !== first ? pid : undefined;
    });
    expect(second).not.toBe(first);
    expect(run.output).toContain('sent no heartbeat');
  });

  it('honours SIGTERM within the grace period even while the server is stuck', async () => {
    const run = await start(['--watchdog-ms', '60000', '--grace-ms', '300']);
    await run.servingPid();
    void run.get('/spin');
    await new Promise((resolve) => setTimeout(resolve, 200));
    run.process.kill('SIGTERM');
    // The watchdog would take a minute: only the grace period can end this wait.
    const code = await Promise.race([run.exit, new Promise((resolve) => setTimeout(() => resolve('still running'), 8_000))]);
    expect(code).not.toBe('still running');
  });

  it('logs a stray rejection with its request and keeps the same server (unhandledErrors is log under the CLI)', async () => {
    const run = await start();
    const pid = await run.servingPid();
    expect(await run.get('/stray-reject')).toBe('answered before the rejection');
    await run.until('the log line', async () => (run.output.includes('GET /stray-reject: ') ? true : undefined));
    expect(await run.get('/pid')).toBe(pid);
  });

  it('with --no-supervisor, a process.exit ends the server', async () => {
    const run = await start(['--no-supervisor']);
    await run.servingPid();
    await run.get('/exit');
    expect(await run.exit).toBe(3);
  });

  it('with --unhandled-errors crash, a stray rejection ends that server and the supervisor starts another', async () => {
    const run = await start(['--unhandled-errors', 'crash']);
    const first = await run.servingPid();
    await run.get('/stray-reject');
    const second = await run.until('a new server', async () => {
      const pid = await run.get('/pid');
      return pid !== undefined && pid !== first ? pid : undefined;
    });
    expect(second).not.toBe(first);
  });
});

describe('the CLI runs the operations endpoints', () => {
  it('--log alone turns access lines on, --health alone the default probes, --metrics a path; a supervised restart keeps them', async () => {
    const run = await start(['--log', '--health', '--metrics', '/metrics']);
    const pid = await run.servingPid();
    expect(await run.get('/readyz')).toBe('ready\n');
    expect(await run.get('/livez')).toBe('ok\n');
    const scrape = await run.until('a scrape with the request', async () => {
      const text = await run.get('/metrics');
      return text?.includes('switchyard_requests_total{backend="reactor",worker="0",method="GET",status="2xx"} 1') ? text : undefined;
    });
    expect(scrape).toContain('# TYPE switchyard_request_duration_seconds histogram');
    // Lines reach stdout through pino's writer thread, within a moment.
    const lines = await run.until('the access line', async () => {
      const parsed = run.output
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      return parsed.some((line) => line.msg === 'request') ? parsed : undefined;
    });
    expect(lines.find((line) => line.msg === 'request')).toMatchObject({ method: 'GET', path: '/pid', status: 200, worker: 0 });
    expect(lines.some((line) => String(line.msg).startsWith('switchyard: reactor serving'))).toBe(true);
    // A line still gathering for the log thread when the process exits goes out as it exits.
    expect(await run.get('/pid?before-exit')).toBe(pid);
    // The restarted server is a new process: its counters start again, as Prometheus expects of a restart.
    expect(await run.get('/exit')).toBeUndefined();
    await run.until('the line of the request just before the exit', async () => (run.output.includes('"path":"/pid?before-exit"') ? true : undefined));
    await run.until('a new server', async () => {
      const next = await run.get('/pid');
      return next !== undefined && next !== pid ? next : undefined;
    });
    expect(await run.get('/readyz')).toBe('ready\n');
  });
});
