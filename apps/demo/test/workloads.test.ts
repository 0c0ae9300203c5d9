import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { RunningServer } from '@switchyard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { burnRounds } from '../src/work/cpu.js';
import { jsSteps } from '../src/work/js-loop.js';
import { nativeIterations } from '../src/work/native.js';
import { postChunked, rawRequest } from './support/http.js';
import { backends, startDemo } from './support/start-demo.js';

/** A small body limit, so the 413 cases stay cheap. */
const BODY_LIMIT = 64 * 1024;

const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

/** Polls `read` until it returns `want`, or gives up and returns what it last saw. */
async function eventually<T>(read: () => Promise<T>, want: T, tries = 50): Promise<T> {
  let seen = await read();
  for (let i = 0; i < tries && seen !== want; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    seen = await read();
  }
  return seen;
}

describe.each(backends)('the workload routes under %s', (backend) => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startDemo(backend, { limits: { maxBodySize: BODY_LIMIT } });
  });
  afterAll(() => server?.close());

  const get = (path: string, init?: RequestInit) => fetch(`${server.url}${path}`, init);

  describe('bounds: an out-of-range or malformed value is a 400 that names the bound', () => {
    it.each([
      ['/cpu?ms=1001', 'ms must be an integer from 0 to 1000 (got "1001")'],
      ['/cpu?ms=-1', 'ms must be an integer from 0 to 1000 (got "-1")'],
      ['/cpu?ms=abc', 'ms must be an integer from 0 to 1000 (got "abc")'],
      ['/cpu?ms=1.5', 'ms must be an integer from 0 to 1000 (got "1.5")'],
      ['/cpu?ms=', 'ms must be an integer from 0 to 1000 (got "")'],
      ['/cpu?ms=1&kind=gpu', 'kind must be one of hash, js, native (got "gpu")'],
      ['/cpu?kind=', 'kind must be one of hash, js, native (got "")'],
      ['/cpu?kind=JS', 'kind must be one of hash, js, native (got "JS")'],
      ['/io?ms=60001', 'ms must be an integer from 0 to 60000 (got "60001")'],
      ['/idle?s=3601', 's must be a number from 0 to 3600 (got "3601")'],
      ['/idle?s=1e3', 's must be a number from 0 to 3600 (got "1e3")'],
      ['/db?rows=0', 'rows must be an integer from 1 to 20000 (got "0")'],
      ['/db?rows=20001', 'rows must be an integer from 1 to 20000 (got "20001")'],
      ['/upstream?ms=99999999999999999999', 'ms must be an integer from 0 to 60000'],
    ])('%s', async (path, message) => {
      const response = await get(path);
      expect(response.status).toBe(400);
      expect(await response.text()).toContain(message);
    });
  });

  it('/cpu does the calibrated number of hashing rounds, the same work as the exported burnRounds', async () => {
    const response = await get('/cpu?ms=3');
    expect(response.status).toBe(200);
    const body = (await response.json()) as { ms: number; rounds: number; digest: string; workerId: number };
    expect(body.ms).toBe(3);
    expect(body.rounds).toBeGreaterThan(0);
    expect(body.digest).toBe(burnRounds(body.rounds));
    if (backend === 'reactor') expect(body.workerId).toBe(0);
  });

  it('/cpu takes 2 ms of hashing by default, and ms=0 does no work', async () => {
    expect(await (await get('/cpu')).json()).toMatchObject({ ms: 2, kind: 'hash' });
    expect(await (await get('/cpu?ms=0')).json()).toMatchObject({ ms: 0, kind: 'hash', rounds: 0, digest: burnRounds(0) });
  });

  it.each([
    ['js', jsSteps],
    ['native', nativeIterations],
  ] as const)('/cpu&kind=%s does its calibrated units of work, the same as the exported function', async (kind, run) => {
    const response = await get(`/cpu?ms=3&kind=${kind}`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { ms: number; kind: string; rounds: number; digest: string };
    expect(body).toMatchObject({ ms: 3, kind });
    expect(body.rounds).toBeGreaterThan(0);
    expect(body.digest).toBe(run(body.rounds));
    expect(await (await get(`/cpu?ms=0&kind=${kind}`)).json()).toMatchObject({ ms: 0, kind, rounds: 0, digest: run(0) });
  });

  it('/io answers only after waiting', async () => {
    const started = performance.now();
    const body = (await (await get('/io?ms=40')).json()) as { ms: number; waitedMs: number };
    // A timer never fires early by more than clock rounding; lateness is not asserted.
    expect(performance.now() - started).toBeGreaterThanOrEqual(38);
    expect(body.ms).toBe(40);
    expect(body.waitedMs).toBeGreaterThanOrEqual(38);
  });

  it('/idle sends its head at once, holds the connection, then answers', async () => {
    const started = performance.now();
    const response = await get('/idle?s=0.5');
    expect(response.status).toBe(200);
    expect(await response.text()).toMatch(new RegExp(`^Held the connection for 0\\.5 s \\(${backend}, worker \\d+\\)\\n$`));
    expect(performance.now() - started).toBeGreaterThanOrEqual(480);
  });

  it('/idle ends cleanly when the client leaves early', async () => {
    const abort = new AbortController();
    const response = await get('/idle?s=3600', { signal: abort.signal });
    expect(response.status).toBe(200);
    expect((await server.stats()).inFlight).toBeGreaterThanOrEqual(1);
    abort.abort();
    // Were the hold to outlive its client, the request would stay in flight for an hour.
    expect(await eventually(async () => (await server.stats()).inFlight, 0)).toBe(0);
  });

  it('/db runs a query over the seeded table, bounded by ?rows=, and says its driver is synchronous', async () => {
    const body = (await (await get('/db?rows=500')).json()) as { rows: number; categories: { category: string; items: number }[]; driver: string };
    expect(body.rows).toBe(500);
    expect(body.categories).toHaveLength(8);
    expect(body.categories.reduce((sum, row) => sum + row.items, 0)).toBe(500);
    expect(body.driver).toContain('synchronous');
    // Every process and thread seeds the same rows, so any of them gives this answer.
    expect(await (await get('/db?rows=500')).json()).toMatchObject({ categories: body.categories });
    expect(await (await get('/db')).json()).toMatchObject({ rows: 1000 });
  });

  it('/upload streams the body and returns its size and SHA-256', async () => {
    const bytes = Buffer.alloc(40_000, 'switchyard');
    const response = await get('/upload', { method: 'POST', body: bytes });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ bytes: 40_000, sha256: sha256(bytes) });
    expect(await (await get('/upload', { method: 'POST' })).json()).toMatchObject({ bytes: 0, sha256: sha256('') });
    expect(await (await get('/upload', { method: 'POST', body: Buffer.alloc(BODY_LIMIT) })).json()).toMatchObject({ bytes: BODY_LIMIT });
    expect((await get('/upload')).status).toBe(405);
  });

  it("/upload past the server's maxBodySize gets 413, declared or chunked", async () => {
    expect((await get('/upload', { method: 'POST', body: Buffer.alloc(BODY_LIMIT + 1) })).status).toBe(413);
    expect(await postChunked(server.url, '/upload', BODY_LIMIT * 2)).toBe(413);
  });

  it("/files serves from the demo's own files directory by default", async () => {
    const response = await get('/files/hello.txt');
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(await readFile(new URL('../files/hello.txt', import.meta.url), 'utf8'));
  });

  it('still says hello after all the bad requests', async () => {
    for (const path of ['/cpu?ms=x', '/upstream?fail=1', '/files/..%2fpackage.json', '/db?rows=-5']) await (await get(path)).arrayBuffer();
    expect((await rawRequest(server.url, '/files/../../package.json')).status).toBe(404);
    const response = await get('/hello');
    expect(response.status).toBe(200);
    expect(await response.text()).toMatch(new RegExp(`^Hello from Switchyard \\(${backend}, worker \\d+\\)\\n$`));
  });
});
