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

  it("answers liveness and readiness while a handler holds the server's event loop", async () => {
    dir = mkdtempSync(join(tmpdir(), 'switchyard-metrics-port-'));
    const metricsPort = await freePort();
    child = spawn(process.execPath, [script, String(metricsPort)], { stdio: ['ignore', 'pipe', 'inherit'] });
    const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
    const { port } = JSON.parse(line) as { port: number };

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
