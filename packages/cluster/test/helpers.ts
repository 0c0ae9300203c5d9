import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { type Agent, type ClientRequest, request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

/** The test app's URL with its query parameters. */
export function appUrl(params: Record<string, string | number> = {}): URL {
  const url = new URL('./fixtures/app.mjs', import.meta.url);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, String(value));
  return url;
}

export interface Reply {
  status: number;
  body: string;
}

/**
 * One GET with node:http. `agent: false` opens a fresh connection that
 * closes after the response; a keep-alive Agent reuses one. `sending` sees
 * the request before it is sent.
 */
export function get(url: string, agent: Agent | false = false, timeoutMs = 10_000, sending?: (req: ClientRequest) => void): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
      res.on('error', reject);
    });
    req.setTimeout(timeoutMs, () => req.destroy(Object.assign(new Error('client timeout'), { code: 'ETIMEDOUT' })));
    req.on('error', reject);
    sending?.(req);
    req.end();
  });
}

/** Asks fresh connections until `count` different processes answered; returns their pids. */
export async function pidsOf(base: string, count: number, attempts = 50): Promise<Set<string>> {
  const pids = new Set<string>();
  for (let i = 0; i < attempts && pids.size < count; i++) pids.add((await get(`${base}/pid`)).body);
  if (pids.size < count) throw new Error(`only ${pids.size} of ${count} processes answered`);
  return pids;
}

/** A temporary directory, removed by the returned function. */
export function tempDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-cluster-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A primary in a process of its own (test/fixtures/primary.mjs), for signals. */
export class PrimaryProcess {
  readonly child: ChildProcess;
  output = '';
  readonly exit: Promise<number | null>;

  constructor(app: string, clusterOptions: Record<string, unknown> = {}, env: Record<string, string> = {}) {
    this.child = spawn(process.execPath, [fixture('primary.mjs'), app, JSON.stringify(clusterOptions)], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    });
    this.child.stdout!.on('data', (chunk: Buffer) => (this.output += chunk));
    this.child.stderr!.on('data', (chunk: Buffer) => (this.output += chunk));
    this.exit = once(this.child, 'exit').then(([code]) => code as number | null);
  }

  /** Waits until the output has `count` matches of `pattern`; returns the last match. */
  async waitFor(pattern: RegExp, count = 1, timeoutMs = 15_000): Promise<RegExpMatchArray> {
    const global = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const matches = [...this.output.matchAll(global)];
      if (matches.length >= count) return matches[count - 1]!;
      if (this.child.exitCode !== null || Date.now() > deadline) {
        throw new Error(`no ${count}x ${pattern} in the primary's output:\n${this.output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}
