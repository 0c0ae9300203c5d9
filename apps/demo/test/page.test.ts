import type { RunningServer } from '@switchyard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expressLaneId, StatsBoard, STALE_AFTER_MS } from '../src/page/board.js';
import type { StatsSnapshot, WorkerFigures } from '../src/page/figures.js';
import { escapeHtml, renderCatalogue } from '../src/page/html.js';
import { backends, contextIds, startDemo } from './support/start-demo.js';

/** Reads server-sent events from `url` until `accept` takes one's data, or the stream has sent `max` events. */
async function readEvents<T>(url: string, event: string, accept: (data: T) => boolean, max = 15): Promise<T> {
  const abort = new AbortController();
  try {
    const response = await fetch(url, { signal: abort.signal });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const decoder = new TextDecoderStream();
    void response.body!.pipeTo(decoder.writable).catch(() => {});
    const reader = decoder.readable.getReader();
    let buffer = '';
    let seen = 0;
    while (seen < max) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) !== -1) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const name = /^event: (.*)$/m.exec(frame)?.[1];
        const data = /^data: (.*)$/m.exec(frame)?.[1];
        if (name !== event || data === undefined) continue;
        seen++;
        const parsed = JSON.parse(data) as T;
        if (accept(parsed)) return parsed;
      }
    }
    throw new Error(`no acceptable "${event}" event among ${seen}`);
  } finally {
    // Leaving is part of the test: the server must let this stream go (see afterAll).
    abort.abort();
  }
}

describe.each(backends)('the page routes under %s', (backend) => {
  let server: RunningServer;
  beforeAll(async () => {
    // A long grace period: were a stats stream to outlive its client, close() would hang and fail the hook.
    server = await startDemo(backend, { graceMs: 60_000 });
  });
  afterAll(() => server?.close());

  it('serves the page with the backend and the route catalogue', async () => {
    const response = await fetch(`${server.url}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    const html = await response.text();
    expect(html).toContain(`<strong id="backend">${backend}</strong>`);
    expect(html).toContain('<a href="/hello"><code>/hello</code></a>');
    expect(html).not.toMatch(/\{\{\w+\}\}/);
    // Nothing is fetched from another origin.
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
  });

  it('serves Chart.js and the page script from memory, cacheable by hash', async () => {
    const html = await (await fetch(`${server.url}/`)).text();
    const chartUrl = /src="(\/assets\/chart\.js\?v=[^"]+)"/.exec(html)?.[1];
    expect(chartUrl).toBeDefined();
    const chart = await fetch(`${server.url}${chartUrl}`);
    expect(chart.status).toBe(200);
    expect(chart.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(chart.headers.get('cache-control')).toContain('immutable');
    expect(await chart.text()).toContain('Chart.js v4');

    const unversioned = await fetch(`${server.url}/assets/page.js`);
    expect(unversioned.headers.get('cache-control')).toBe('no-cache');
    await unversioned.arrayBuffer();
    const etag = unversioned.headers.get('etag')!;
    const again = await fetch(`${server.url}/assets/page.js`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);

    expect((await fetch(`${server.url}/assets/nope.js`)).status).toBe(404);
    expect((await fetch(`${server.url}/assets/page.css`, { method: 'POST' })).status).toBe(405);
  });

  it('streams stats that list every worker', { timeout: 30_000 }, async () => {
    const expectedIds = contextIds(backend);
    const snapshot = await readEvents<StatsSnapshot>(`${server.url}/stats/events`, 'stats', (data) => data.workers.length === expectedIds.length);
    expect(snapshot.backend).toBe(backend);
    expect(snapshot.workers.map((worker) => worker.workerId)).toEqual(expectedIds);
    for (const worker of snapshot.workers) {
      expect(worker).toMatchObject({ backend, pid: expect.any(Number), requests: expect.any(Number), elu: expect.any(Number) });
    }
    expect(snapshot.totals.requests).toBe(snapshot.workers.reduce((sum, worker) => sum + worker.requests, 0));
    // Only the pool has an express lane: its last thread (3, beside serving threads 1 and 2).
    const lane = backend === 'pool' ? expectedIds.at(-1) : undefined;
    expect(snapshot.workers.map((worker) => worker.expressLane)).toEqual(expectedIds.map((id) => id === lane));
  });
});

describe('the stats board', () => {
  const figures = (workerId: number, pid: number, rps: number, p99Ms: number): WorkerFigures => ({
    backend: 'cluster',
    workerId,
    pid,
    requests: 10,
    rps,
    p99Ms,
    loopDelayP99Ms: 0,
    elu: 0.5,
  });

  it('sums rates, takes the worst p99, and forgets contexts gone quiet', () => {
    let now = 0;
    const board = new StatsBoard('cluster', () => now);
    board.add(figures(2, 200, 5, 3));
    board.add(figures(1, 100, 10, 7));
    expect(board.snapshot()).toMatchObject({ workers: [{ workerId: 1 }, { workerId: 2 }], totals: { requests: 20, rps: 15, p99Ms: 7 } });

    now = STALE_AFTER_MS / 2;
    board.add(figures(1, 101, 1, 1)); // process 1 respawned with a new pid
    now = STALE_AFTER_MS + 1;
    expect(board.snapshot().workers).toEqual([{ ...figures(1, 101, 1, 1), expressLane: false }]);
  });

  it("marks the pool's express lane, the thread after the serving ones, and nothing under other backends", () => {
    const pool = new StatsBoard('pool');
    for (const id of [2, 3, 1]) pool.add({ ...figures(id, 100, 1, 1), backend: 'pool' });
    expect(pool.snapshot().workers.map((worker) => [worker.workerId, worker.expressLane])).toEqual([
      [1, false],
      [2, false],
      [3, true],
    ]);

    expect(expressLaneId('pool', [figures(1, 100, 1, 1)])).toBeUndefined();
    expect(expressLaneId('cluster', [figures(1, 100, 1, 1), figures(2, 200, 1, 1)])).toBeUndefined();
    expect(expressLaneId('reactor', [figures(0, 100, 1, 1)])).toBeUndefined();
  });
});

describe('the page HTML', () => {
  it('escapes what it fills in', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(renderCatalogue([{ example: '/q?a=1&b=<2>', summary: 'x < y' }])).toBe(
      '<li><a href="/q?a=1&amp;b=&lt;2&gt;"><code>/q?a=1&amp;b=&lt;2&gt;</code></a> x &lt; y</li>',
    );
  });
});
