import { execFile } from 'node:child_process';
import { Agent } from 'node:http';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { signalWhileStarting } from '../../../test-support/signal-while-starting.mjs';
import { appUrl, fixture, get, PrimaryProcess, type Reply, tempDir } from './helpers.js';
import { Load } from './load.js';

const run = promisify(execFile);
const primaries: PrimaryProcess[] = [];
afterEach(() => {
  for (const primary of primaries.splice(0)) primary.kill();
});

function startPrimary(app: string, clusterOptions: Record<string, unknown> = {}): PrimaryProcess {
  const primary = new PrimaryProcess(app, { heartbeatIntervalMs: 250, heartbeatTimeoutMs: 5_000, ...clusterOptions });
  primaries.push(primary);
  return primary;
}

/**
 * Opens `count` keep-alive connections, then sends a slow request on each;
 * resolves once every request is written, with its replies to come.
 */
async function slowRequestsOnHeldConnections(base: string, count: number): Promise<{ replies: Promise<Reply[]> }> {
  const agents = Array.from({ length: count }, () => new Agent({ keepAlive: true, maxSockets: 1 }));
  await Promise.all(agents.map((agent) => get(`${base}/pid`, agent)));
  // The agents take their sockets back on the next tick.
  await new Promise((resolve) => setImmediate(resolve));
  const written: Promise<void>[] = [];
  const replies = agents.map((agent) =>
    get(`${base}/pid?sleep=300`, agent, 10_000, (req) => {
      expect(req.reusedSocket).toBe(true);
      written.push(new Promise((resolve) => req.once('finish', resolve)));
    }).finally(() => agent.destroy()),
  );
  await Promise.all(written);
  return { replies: Promise.all(replies) };
}

describe('signals', () => {
  it('rolls three SIGHUP restarts under load, then answers what is in flight at SIGTERM: >= 99.9% succeed, none reset', async () => {
    const primary = startPrimary(appUrl().href);
    const [, url] = await primary.waitFor(/listening (http:\S+)/);
    const load = new Load(url!, { keepAlive: 4, fresh: 4, maxPerClient: 5_000 });
    await load.until(100);
    for (let reload = 1; reload <= 3; reload++) {
      primary.child.kill('SIGHUP');
      await primary.waitFor(/rolling restart done/, reload);
      await load.until(load.total + 100);
    }
    const { ok, errors, pids, keepAlive } = await load.stop();
    const total = load.total;
    expect(total).toBeGreaterThanOrEqual(400);
    expect(errors.ECONNRESET ?? 0).toBe(0);
    expect(ok / total, JSON.stringify({ ok, total, errors })).toBeGreaterThanOrEqual(0.999);
    // Keep-alive clients held connections across the drains (a drain ends each with `Connection: close`).
    expect(keepAlive.connections, JSON.stringify(keepAlive)).toBeLessThan(keepAlive.requests / 4);
    // Two processes at start, and each reload replaced both.
    expect(pids.size).toBeGreaterThanOrEqual(8);

    // In flight at SIGTERM: slow requests already written on connections the processes hold.
    // (A connection still in the listener's queue when it closes is reset by the kernel: that
    // is the stop, not a lost request, so new connections are not raced against the signal.)
    const inFlight = await slowRequestsOnHeldConnections(url!, 4);
    primary.child.kill('SIGTERM');
    const replies = await inFlight.replies;
    expect(replies.map((reply) => reply.status)).toEqual([200, 200, 200, 200]);
    expect(await primary.exit).toBe(0);
    // Stopped means stopped accepting.
    await expect(get(`${url}/pid`)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  }, 60_000);

  it('exits non-zero when processes crash-loop after the server started', async () => {
    const { dir, remove } = tempDir();
    try {
      const flag = `${dir}/broken`;
      const primary = startPrimary(appUrl({ fail: flag }).href, { restartDelayMs: 20, crashLoopLimit: 3 });
      const [, url] = await primary.waitFor(/listening (http:\S+)/);
      // From now on a new process fails in setup; kill one that is running.
      writeFileSync(flag, '');
      await get(`${url}/exit`).catch(() => {});
      expect(await primary.exit).toBe(1);
      expect(primary.output).toMatch(/Crash loop: process \d failed 3 times in a row/);
      expect(primary.output).toContain('setup failed');
    } finally {
      remove();
    }
  }, 30_000);

  it('under the CLI, a SIGTERM while the processes start closes the server once started, and exits 0', async () => {
    const cwd = fileURLToPath(new URL('..', import.meta.url));
    const ended = await signalWhileStarting({ cwd, args: ['--backend', 'cluster', '--workers', '2'] });
    expect(ended, ended.output).toMatchObject({ code: 0, signal: null });
    expect(ended.output).toMatch(/SIGTERM while starting: closing once started[\s\S]*serving .* at http:[\s\S]*SIGTERM: closing/);
  }, 45_000);

  it('makes the CLI exit non-zero with a clear error when setup always fails', async () => {
    const cli = fileURLToPath(new URL('../../core/bin/switchyard.js', import.meta.url));
    const cwd = fileURLToPath(new URL('..', import.meta.url));
    const result = await run(process.execPath, [cli, 'serve', fixture('failing-setup.mjs'), '--backend', 'cluster', '--port', '0', '--workers', '2'], {
      cwd,
      timeout: 30_000,
    }).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => error,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/switchyard: Crash loop: process \d failed 5 times in a row/);
    expect(result.stderr).toContain('database unreachable');
  }, 40_000);
});
