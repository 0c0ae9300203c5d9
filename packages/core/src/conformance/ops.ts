import { createServer } from 'node:net';
import { PassThrough } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { waitFor } from './helpers.js';
import type { SuiteEnv } from './index.js';

/** The operations tests' app (fixtures/ops-app.mjs). */
export const opsAppUrl = new URL('../../fixtures/ops-app.mjs', import.meta.url);

/** The sum of a metric's samples whose labels include `labels`, from Prometheus text. */
export function metricSum(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const brace = line.indexOf('{');
    const end = line.lastIndexOf('}');
    const own: Record<string, string> = {};
    if (brace !== -1 && brace < name.length + 1) {
      for (const match of line.slice(brace + 1, end).matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) own[match[1]!] = match[2]!;
    }
    if (Object.entries(labels).every(([key, value]) => own[key] === value)) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

/** Scrapes until `check` holds (threads and processes report on an interval), returning the last text. */
export async function scrapeUntil(url: string, check: (text: string) => boolean, timeoutMs = 8_000): Promise<string> {
  let last = '';
  try {
    await waitFor('the scrape to show the traffic', async () => check((last = await (await fetch(url)).text())) || undefined, timeoutMs);
  } catch {
    // The assertions that follow say what differs.
  }
  return last;
}

/** A port nothing listens on now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function get(url: string, init?: RequestInit): Promise<{ status: number; text: string; headers: Headers }> {
  const response = await fetch(url, init);
  return { status: response.status, text: await response.text(), headers: response.headers };
}

/** Traffic of known shape: 6 GET 2xx, 2 POST 2xx, 3 GET 4xx, 2 GET 5xx; 8 hits of the app's own counter. */
async function knownTraffic(base: string): Promise<void> {
  for (let i = 0; i < 6; i++) expect((await get(`${base}/hit`)).status).toBe(200);
  for (let i = 0; i < 2; i++) expect((await get(`${base}/hit`, { method: 'POST', body: 'x' })).status).toBe(200);
  for (let i = 0; i < 3; i++) expect((await get(`${base}/missing`)).status).toBe(404);
  for (let i = 0; i < 2; i++) expect((await get(`${base}/fail`)).status).toBe(500);
}

/** Metrics, health and readiness answered by the runner, and access logs. */
export function opsTests(env: SuiteEnv): void {
  const backend = env.options.backend;
  describe('operations', () => {
    it("counts every request exactly in /metrics, by method and status class, with the app's own metrics beside", async () => {
      const { server } = await env.start({ app: opsAppUrl, metrics: '/metrics' });
      await knownTraffic(server.url);
      const text = await scrapeUntil(
        `${server.url}/metrics`,
        (t) => metricSum(t, 'ops_app_hits_total') === 8 && metricSum(t, 'switchyard_requests_total') === 13,
      );
      expect(metricSum(text, 'switchyard_requests_total', { backend, method: 'GET', status: '2xx' })).toBe(6);
      expect(metricSum(text, 'switchyard_requests_total', { backend, method: 'POST', status: '2xx' })).toBe(2);
      expect(metricSum(text, 'switchyard_requests_total', { backend, method: 'GET', status: '4xx' })).toBe(3);
      expect(metricSum(text, 'switchyard_requests_total', { backend, method: 'GET', status: '5xx' })).toBe(2);
      expect(metricSum(text, 'switchyard_request_duration_seconds_count', { backend })).toBe(13);
      expect(metricSum(text, 'switchyard_request_duration_seconds_bucket', { backend, le: '+Inf' })).toBe(13);
      expect(metricSum(text, 'ops_app_hits_total', { backend })).toBe(8);
      expect(text).toMatch(/^switchyard_event_loop_utilization\{/m);
      expect(text).toMatch(/^switchyard_process_resident_memory_bytes\{/m);
      // Scrapes are the runner's, not the app's traffic: they are not counted.
      const again = await (await fetch(`${server.url}/metrics`)).text();
      expect(metricSum(again, 'switchyard_requests_total')).toBe(13);
    });

    it('speaks OpenMetrics when the scraper asks for it', async () => {
      const { server } = await env.start({ app: opsAppUrl, metrics: '/metrics' });
      await get(`${server.url}/hit`);
      const scrape = await get(`${server.url}/metrics`, { headers: { accept: 'application/openmetrics-text; version=1.0.0' } });
      expect(scrape.headers.get('content-type')).toContain('application/openmetrics-text');
      expect(scrape.text).toMatch(/^# TYPE switchyard_requests counter$/m);
      expect(scrape.text.endsWith('# EOF\n')).toBe(true);
    });

    it("serves /metrics on a port of its own, leaving every path of the server's port to the app", async () => {
      const port = await freePort();
      const { server } = await env.start({ app: opsAppUrl, metrics: port });
      await get(`${server.url}/hit`);
      expect(await get(`${server.url}/metrics`)).toMatchObject({ status: 200, text: "the app's own /metrics" });
      const text = await scrapeUntil(`http://127.0.0.1:${port}/metrics`, (t) => metricSum(t, 'switchyard_requests_total') === 2);
      expect(metricSum(text, 'switchyard_requests_total', { backend, status: '2xx' })).toBe(2);
      expect((await get(`http://127.0.0.1:${port}/elsewhere`)).status).toBe(404);
    });

    it('answers liveness and readiness without the app, and turns not ready as soon as a drain begins', async () => {
      const port = await freePort();
      const { server } = await env.start({ app: opsAppUrl, metrics: port, health: { live: '/alive', ready: '/ready' }, graceMs: 3_000 });
      expect(await get(`${server.url}/alive`)).toMatchObject({ status: 200, text: 'ok\n' });
      expect(await get(`${server.url}/ready?probe=k8s`)).toMatchObject({ status: 200, text: 'ready\n' });
      expect((await get(`${server.url}/ready`, { method: 'POST' })).status).toBe(405);
      // Paths not configured stay the app's.
      expect(await get(`${server.url}/readyz`)).toMatchObject({ status: 200, text: "the app's own /readyz" });
      expect(await get(`http://127.0.0.1:${port}/ready`)).toMatchObject({ status: 200 });
      // A request in flight holds the drain open; the metrics port still answers meanwhile.
      const hanging = fetch(`${server.url}/hang`).then(
        (r) => r.status,
        () => 'cut',
      );
      await new Promise((resolve) => setTimeout(resolve, 200));
      const closing = server.close();
      const during = await waitFor(
        'readiness to turn 503',
        async () => {
          const probe = await get(`http://127.0.0.1:${port}/ready`);
          return probe.status === 503 ? probe : undefined;
        },
        2_500,
      );
      expect(during.text).toBe('not ready: draining\n');
      expect((await get(`http://127.0.0.1:${port}/alive`)).status).toBe(200);
      await closing;
      await hanging;
    });

    if (backend !== 'cluster' && backend !== 'threads') {
      // Cluster processes and threads write their own lines to the shared stdout: their packages test them through the CLI.
      it('writes one JSON access line per request through pino, with its request id echoed', async () => {
        const sink = new PassThrough();
        let out = '';
        sink.on('data', (chunk: Buffer) => (out += chunk));
        const { server } = await env.start({ app: opsAppUrl, log: 'info', logger: pino({ level: 'info' }, sink) });
        const given = await get(`${server.url}/hit`, { headers: { 'x-request-id': 'trace-42' } });
        expect(given.headers.get('x-request-id')).toBe('trace-42');
        const generated = await get(`${server.url}/missing?q=1`);
        expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
        await get(`${server.url}/fail`);
        const lines = await waitFor(
          'three access lines',
          () => {
            const parsed = out
              .split('\n')
              .filter(Boolean)
              .map((line) => JSON.parse(line) as Record<string, unknown>);
            const requests = parsed.filter((line) => line.msg === 'request');
            return requests.length >= 3 ? parsed : undefined;
          },
          3_000,
        );
        const requests = lines.filter((line) => line.msg === 'request');
        expect(requests).toHaveLength(3);
        expect(requests[0]).toMatchObject({ method: 'GET', path: '/hit', status: 200, bytes: 3, requestId: 'trace-42', level: 30 });
        expect(requests[1]).toMatchObject({ path: '/missing?q=1', status: 404, requestId: generated.headers.get('x-request-id') });
        expect(requests[2]).toMatchObject({ path: '/fail', status: 500 });
        for (const line of requests) {
          expect(typeof line.durationMs).toBe('number');
          expect(typeof line.worker).toBe('number');
          expect(line.time).toBeDefined();
        }
        expect(requests[0]).not.toHaveProperty('userAgent');
        // The handler's failure goes through the same logger, its error as `err`.
        const failure = lines.find((line) => line.level === 50);
        expect(failure).toMatchObject({ err: { message: 'planned failure' } });
        expect(String(failure!.msg)).toContain('/fail failed');
      });

      it('adds the client address and user agent to access lines at debug', async () => {
        const sink = new PassThrough();
        let out = '';
        sink.on('data', (chunk: Buffer) => (out += chunk));
        const { server } = await env.start({ app: opsAppUrl, log: 'debug', logger: pino({ level: 'debug' }, sink) });
        await get(`${server.url}/hit`, { headers: { 'user-agent': 'probe/1.0' } });
        const line = await waitFor(
          'an access line',
          () =>
            out
              .split('\n')
              .filter(Boolean)
              .map((l) => JSON.parse(l) as Record<string, unknown>)
              .find((l) => l.msg === 'request'),
          3_000,
        );
        expect(line).toMatchObject({ path: '/hit', userAgent: 'probe/1.0', remoteAddress: '127.0.0.1' });
      });
    }
  });
}
