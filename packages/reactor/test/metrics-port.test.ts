import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, waitFor } from '@switchyard/core/conformance';

const script = fileURLToPath(new URL('./fixtures/serve-blocking.mjs', import.meta.url));

describe('the metrics port', () => {
  let child: ChildProcess | undefined;
  let dir: string | undefined;
  afterEach(() => {
    child?.kill('SIGKILL');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /**
   * Starts the fixture on a metrics port found free. Another process may take
   * that port before the server binds it (the server then exits with
   * ERR_PORT_IN_USE): a new port is found, up to 3 tries.
   */
  async function startServer(): Promise<{ port: number; metricsPort: number }> {
    for (let attempt = 1; ; attempt++) {
      const metricsPort = await freePort();
      const started = spawn(process.execPath, [script, String(metricsPort)], { stdio: ['ignore', 'pipe', 'inherit'] });
      child = started;
      const line = once(createInterface({ input: started.stdout! }), 'line').then(([text]) => text as string);
      const exit = once(started, 'exit').then(([code]) => `exited with ${String(code)}`);
      const outcome = await Promise.race([line.then((text) => ({ text })), exit.then((why) => ({ why }))]);
      if ('text' in outcome) return { port: (JSON.parse(outcome.text) as { port: number }).port, metricsPort };
      if (attempt === 3) throw new Error(`the server ${outcome.why} before it printed its port, 3 times`);
    }
  }

  it("answers liveness and readiness while a handler holds the server's event loop", async () => {
    dir = mkdtempSync(join(tmpdir(), 'switchyard-metrics-port-'));
    const { port, metricsPort } = await startServer();

    let settled = false;
    const blocked = fetch(`http://127.0.0.1:${port}/block?dir=${encodeURIComponent(dir)}`).then(
      async (response) => {
        settled = true;
        return response.text();
      },
      (error: unknown) => `failed: ${String(error)}`,
    );
    await waitFor('the handler to hold the loop', () => existsSync(join(dir!, 'started')));
    // The loop is held until the test releases it: served on that loop, these could not answer before.
    const probe = async (path: string) => {
      const response = await fetch(`http://127.0.0.1:${metricsPort}${path}`, { signal: AbortSignal.timeout(8_000) });
      return [response.status, await response.text()];
    };
    expect(await probe('/livez')).toEqual([200, 'ok\n']);
    expect(await probe('/readyz')).toEqual([200, 'ready\n']);
    // A scrape asks the serving thread, so it waits for the loop.
    const scrape = fetch(`http://127.0.0.1:${metricsPort}/metrics`).then((response) => response.text());
    expect(settled).toBe(false);
    writeFileSync(join(dir, 'release'), '');
    expect(await blocked).toBe('released');
    expect(await scrape).toMatch(/^switchyard_requests_total\{.*\} 1$/m);
  });
});
