import { Agent } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { metricSum, opsAppUrl, scrapeUntil, waitFor } from '@switchyard/core/conformance';
import { serve, type ClusterServer } from '@switchyard/cluster';
import { get, PrimaryProcess } from './helpers.js';

// /metrics across processes: merged in the primary from what each process pushes, kept across replacements.
describe('cluster operations', () => {
  let server: ClusterServer | undefined;
  let primary: PrimaryProcess | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
    primary?.kill();
    primary = undefined;
  });

  const hits = async (base: string, count: number) => {
    // Fresh connections, so both processes take some.
    for (let i = 0; i < count; i++) expect((await get(`${base}/hit`)).status).toBe(200);
  };

  it('keeps exact counts when a process is killed and respawned, and counts the restart as a crash', async () => {
    server = await serve({
      app: opsAppUrl,
      port: 0,
      workers: 2,
      signals: false,
      metrics: '/metrics',
      health: true,
      cluster: { restartDelayMs: 50, minUptimeMs: 300 },
    });
    const metrics = `${server.url}/metrics`;
    await hits(server.url, 10);
    const pid = Number((await get(`${server.url}/pid`)).body);
    // Every request reported before the kill: a killed process's unreported last second is lost with it.
    let text = await scrapeUntil(metrics, (t) => metricSum(t, 'switchyard_requests_total') === 11);
    expect(metricSum(text, 'switchyard_requests_total')).toBe(11);

    process.kill(pid, 'SIGKILL');
    // Not ready while a process is missing, or too young to trust after a quick death.
    const down = await waitFor('readiness to drop', async () => {
      const probe = await get(`${server!.url}/readyz`);
      return probe.status === 503 ? probe : undefined;
    });
    expect(down.body).toMatch(/^not ready: process [12] (is not ready|failed quickly before: a crash loop is suspected)\n$/);
    await waitFor(
      'the process to be replaced',
      async () => (await server!.stats()).workers.every((w) => w.pid !== pid) && (await get(`${server!.url}/readyz`)).status === 200,
      10_000,
    );
    await hits(server.url, 6);
    text = await scrapeUntil(metrics, (t) => metricSum(t, 'switchyard_requests_total') === 17 && metricSum(t, 'ops_app_hits_total') === 16);
    expect(metricSum(text, 'switchyard_requests_total', { backend: 'cluster', method: 'GET', status: '2xx' })).toBe(17);
    expect(metricSum(text, 'switchyard_request_duration_seconds_count')).toBe(17);
    expect(metricSum(text, 'ops_app_hits_total', { backend: 'cluster' })).toBe(16);
    expect(metricSum(text, 'switchyard_worker_restarts_total', { cause: 'crash' })).toBe(1);
    expect(text).toMatch(/^switchyard_requests_queued\{backend="cluster",worker="0"\} 0$/m);
    expect(text).toMatch(/^switchyard_connections_rejected_total\{backend="cluster",worker="0"\} 0$/m);
    // One RSS figure per live process, and the primary's.
    expect(text.match(/^switchyard_process_resident_memory_bytes\{/gm)).toHaveLength(3);
  });

  it('turns not ready through a rolling restart and ready after it, with counts kept', async () => {
    server = await serve({ app: opsAppUrl, port: 0, workers: 2, signals: false, metrics: '/metrics', health: true });
    expect(await get(`${server.url}/readyz`)).toEqual({ status: 200, body: 'ready\n' });
    await hits(server.url, 5);
    const reload = server.reload();
    const during = await waitFor('readiness to turn 503', async () => {
      const probe = await get(`${server!.url}/readyz`);
      return probe.status === 503 ? probe : undefined;
    });
    expect(during.body).toBe('not ready: rolling restart\n');
    await reload;
    await waitFor('readiness again', async () => (await get(`${server!.url}/readyz`)).status === 200);
    const text = await scrapeUntil(`${server.url}/metrics`, (t) => metricSum(t, 'switchyard_worker_restarts_total', { cause: 'reload' }) === 2);
    // The old processes reported their last figures as they drained.
    expect(metricSum(text, 'switchyard_requests_total')).toBe(5);
    expect(metricSum(text, 'ops_app_hits_total')).toBe(5);
    expect(metricSum(text, 'switchyard_worker_restarts_total', { cause: 'reload' })).toBe(2);
  });

  it("writes every process's access lines whole to the one stdout (env SWITCHYARD_LOG), lifecycle events among them", async () => {
    primary = new PrimaryProcess(opsAppUrl.href, {}, { SWITCHYARD_LOG: 'info' });
    const base = (await primary.waitFor(/listening (\S+)/))[1]!;
    const agent = new Agent({ keepAlive: true, maxSockets: 16 });
    const total = 800;
    const ids = new Set<string>();
    for (let sent = 0; sent < total; sent += 40) {
      await Promise.all(Array.from({ length: 40 }, (_, i) => get(`${base}/hit?n=${sent + i}`, i % 2 ? agent : false).then((r) => expect(r.status).toBe(200))));
    }
    agent.destroy();
    primary.child.kill('SIGTERM');
    expect(await primary.exit).toBe(0);
    const lines = primary.output.split('\n').filter(Boolean);
    const parsed = lines.filter((line) => !line.startsWith('listening ')).map((line) => JSON.parse(line) as Record<string, unknown>);
    const requests = parsed.filter((line) => line.msg === 'request');
    for (const line of requests) ids.add(String(line.requestId));
    expect(requests).toHaveLength(total);
    expect(ids.size).toBe(total);
    expect(new Set(requests.map((line) => line.worker))).toEqual(new Set([1, 2]));
    expect(requests[0]).toMatchObject({ level: 30, method: 'GET', status: 200, bytes: 3, msg: 'request' });
    expect(requests[0]!.path).toMatch(/^\/hit\?n=\d+$/);
    for (const line of requests.slice(0, 50)) {
      expect(typeof line.time).toBe('number');
      expect(typeof line.durationMs).toBe('number');
      expect(typeof line.pid).toBe('number');
    }
    expect(parsed.some((line) => String(line.msg).includes('SIGTERM'))).toBe(true);
  }, 60_000);
});
