import { afterEach, describe, expect, it } from 'vitest';
import { metricSum, opsAppUrl, scrapeUntil } from '@switchyard/core/conformance';
import { startPool, waitFor } from './helpers.js';

// /metrics of a pool: the main thread counts every request; threads push the app's own metrics.
describe('pool operations', () => {
  let server: Awaited<ReturnType<typeof startPool>> | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('keeps exact counts when a thread crashes and is replaced, and counts the restart as a crash', async () => {
    server = await startPool({ app: opsAppUrl, workers: 1, metrics: '/metrics' });
    const metrics = `${server.url}/metrics`;
    for (let i = 0; i < 5; i++) expect((await fetch(`${server.url}/hit`)).status).toBe(200);
    // The thread's own counter reached the main thread before the crash: what a dead thread had not sent is lost with it.
    let text = await scrapeUntil(metrics, (t) => metricSum(t, 'ops_app_hits_total') === 5);
    expect(metricSum(text, 'ops_app_hits_total')).toBe(5);

    expect((await fetch(`${server.url}/exit`)).status).toBeGreaterThanOrEqual(500);
    await waitFor(async () => (await server!.stats()).workers.some((w) => w.restarts === 1), 5000, 'the thread to be replaced');
    for (let i = 0; i < 3; i++) expect((await fetch(`${server.url}/hit`)).status).toBe(200);

    text = await scrapeUntil(metrics, (t) => metricSum(t, 'ops_app_hits_total') === 8);
    expect(metricSum(text, 'switchyard_requests_total', { backend: 'pool', method: 'GET', status: '2xx' })).toBe(8);
    expect(metricSum(text, 'switchyard_requests_total', { status: '5xx' })).toBe(1);
    expect(metricSum(text, 'switchyard_requests_total')).toBe(9);
    expect(metricSum(text, 'ops_app_hits_total', { backend: 'pool', worker: '1' })).toBe(8);
    expect(metricSum(text, 'switchyard_worker_restarts_total', { backend: 'pool', worker: '1', cause: 'crash' })).toBe(1);
    expect(text).toMatch(/^switchyard_pool_thread_utilization\{backend="pool",worker="1",express="false"\} /m);
    expect(text).toMatch(/^switchyard_pool_express_lane_requests_total\{/m);
    // Each thread's own loop, reported by the thread, beside the main thread's (worker 0).
    expect(text).toMatch(/^switchyard_event_loop_delay_p99_seconds\{backend="pool",worker="1"\} /m);
    expect(text).toMatch(/^switchyard_event_loop_utilization\{backend="pool",worker="0"\} /m);
  });
});
