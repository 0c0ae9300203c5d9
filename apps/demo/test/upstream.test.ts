import http from 'node:http';
import type { RunningServer } from '@switchyard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, startDemo } from './support/start-demo.js';

interface UpstreamAnswer {
  ms: number;
  upstream: { ms: number; connection: number; requestsOnConnection: number };
  reusedConnection: boolean;
  workerId: number;
}

/** GETs on a fresh connection each time, so cluster's round robin spreads them over its processes. */
const agent = new http.Agent({ keepAlive: false });
function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      })
      .on('error', reject);
  });
}

describe.each(backends)('/upstream under %s, with the upstream service the demo starts', (backend) => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startDemo(backend);
  });
  afterAll(() => server?.close());

  it('answers with what the upstream said, after its latency', async () => {
    const started = performance.now();
    const { status, body } = await get(`${server.url}/upstream?ms=30`);
    expect(status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(28);
    expect(JSON.parse(body)).toMatchObject({ ms: 30, upstream: { ms: 30, connection: expect.any(Number) } });
  });

  it('reuses its keep-alive connection to the upstream', async () => {
    const answers: UpstreamAnswer[] = [];
    for (let i = 0; i < 6; i++) answers.push(JSON.parse((await get(`${server.url}/upstream?ms=0`)).body) as UpstreamAnswer);
    // Requests one after another from one process or thread share its one idle connection.
    expect(answers.some((answer) => answer.reusedConnection && answer.upstream.requestsOnConnection >= 2)).toBe(true);
    const perWorker = new Map<number, Set<number>>();
    for (const { workerId, upstream } of answers) perWorker.set(workerId, (perWorker.get(workerId) ?? new Set()).add(upstream.connection));
    for (const connections of perWorker.values()) expect(connections.size).toBe(1);
  });

  it('gives 502 with a clear body when the upstream resets the connection', async () => {
    const { status, body } = await get(`${server.url}/upstream?ms=5&fail=1`);
    expect(status).toBe(502);
    expect(body).toBe('Bad gateway: the upstream service reset the connection (ECONNRESET)\n');
  });

  it('gives 502 when the upstream answers with an error status', async () => {
    const { status, body } = await get(`${server.url}/upstream?ms=0&fail=status`);
    expect(status).toBe(502);
    expect(body).toBe('Bad gateway: the upstream service answered 500\n');
  });

  it('refuses an unknown failure mode and an out-of-range latency with 400', async () => {
    expect(await get(`${server.url}/upstream?fail=maybe`)).toMatchObject({ status: 400, body: expect.stringContaining('fail must be 1 or reset') });
    expect(await get(`${server.url}/upstream?ms=60001`)).toMatchObject({ status: 400, body: expect.stringContaining('ms must be an integer from 0 to 60000') });
  });

  it('keeps serving after the failures', async () => {
    expect((await get(`${server.url}/upstream?ms=0`)).status).toBe(200);
    expect((await get(`${server.url}/hello`)).status).toBe(200);
  });
});
