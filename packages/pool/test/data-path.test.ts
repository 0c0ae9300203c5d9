import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, rawRequest, startPool } from './helpers.js';

// Request, Response and Headers do not survive structured clone (Node 20
// turns them into `{}`), so the request crosses as plain parts: these tests
// prove every part arrives, and that the response comes back whole.
describe('pool: the data path across the thread boundary', () => {
  let server: Awaited<ReturnType<typeof startPool>>;

  beforeAll(async () => {
    server = await startPool({ limits: { maxBodySize: 1024 * 1024 } });
  });
  afterAll(() => server.close());

  it('delivers method, url, every header and the exact body bytes', async () => {
    const body = new Uint8Array(1000).map((_, i) => (i * 7) % 256);
    const headers = new Headers([
      ['x-multi', 'a'],
      ['x-multi', 'b'],
      ['x-empty', ''],
      ['content-type', 'application/octet-stream'],
    ]);
    const got = await json<Record<string, unknown>>(fetch(`${server.url}/echo?q=1&r=%20x`, { method: 'PATCH', headers, body }));
    expect(got.method).toBe('PATCH');
    expect(got.url).toBe(`${server.url}/echo?q=1&r=%20x`);
    expect(got.multi).toBe('a, b');
    expect(got.headers).toEqual(
      expect.arrayContaining([
        ['x-empty', ''],
        ['content-type', 'application/octet-stream'],
        ['content-length', '1000'],
      ]),
    );
    expect(got.bodyLength).toBe(1000);
    expect(got.bodyBase64).toBe(Buffer.from(body).toString('base64'));
    expect(got).toMatchObject({
      isRequest: true,
      headersAreHeaders: true,
      signalIsSignal: true,
      cloneIsRequest: true,
      backend: 'pool',
    });
    expect([1, 2]).toContain(got.workerId);
  });

  it('keeps repeated request headers apart on the wire to the thread', async () => {
    // fetch() joins repeated headers itself; a raw request sends them as two lines.
    const raw = await rawRequest(server.url, 'GET /echo HTTP/1.1\r\nHost: x\r\nX-Multi: one\r\nX-Multi: two\r\nConnection: close\r\n\r\n');
    const body = JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4)) as { multi: string; method: string; url: string };
    expect(body.multi).toBe('one, two');
    expect(body.method).toBe('GET');
    expect(body.url).toBe('http://x/echo');
  });

  it('passes methods with and without bodies', async () => {
    for (const method of ['GET', 'DELETE', 'OPTIONS', 'PUT', 'POST']) {
      const init: RequestInit = { method };
      if (method === 'PUT' || method === 'POST') init.body = 'payload';
      const got = await json<{ method: string; bodyLength: number }>(fetch(`${server.url}/echo`, init));
      expect(got.method).toBe(method);
      expect(got.bodyLength).toBe(init.body ? 7 : 0);
    }
  });

  it('returns status, status text, repeated set-cookie and bytes from a FastResponse and a native Response', async () => {
    for (const native of ['0', '1']) {
      const raw = await rawRequest(server.url, `GET /binary?native=${native} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
      const [head] = raw.split('\r\n\r\n');
      expect(head).toMatch(/^HTTP\/1\.1 201 Made\r\n/);
      expect(head!.match(/^set-cookie: .*$/gim)).toEqual(['set-cookie: a=1', 'set-cookie: b=2']);
      expect(head).toMatch(/\r\ncontent-length: 256(\r\n|$)/i);
      const bytes = Buffer.from(raw.slice(raw.indexOf('\r\n\r\n') + 4), 'latin1');
      expect([...bytes]).toEqual([...new Uint8Array(256).map((_, i) => i)]);
    }
  });

  it('takes an upload of exactly the body limit', async () => {
    const body = new Uint8Array(1024 * 1024).map((_, i) => i % 251);
    let sum = 0;
    for (let i = 0; i < body.length; i += 997) sum = (sum + body[i]!) % 65521;
    const got = await json(fetch(`${server.url}/length`, { method: 'POST', body }));
    expect(got).toEqual({ length: body.byteLength, sum });
  });

  it('takes a chunked upload up to the limit', async () => {
    const chunk = new Uint8Array(64 * 1024).fill(3);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 16; i++) controller.enqueue(chunk);
        controller.close();
      },
    });
    const got = await json<{ length: number }>(fetch(`${server.url}/length`, { method: 'POST', body: stream, duplex: 'half' } as RequestInit));
    expect(got.length).toBe(1024 * 1024);
  });

  it('answers 413 before dispatch when Content-Length is over the limit', async () => {
    const raw = await rawRequest(server.url, `POST /length HTTP/1.1\r\nHost: x\r\nContent-Length: ${1024 * 1024 + 1}\r\n\r\n`);
    expect(raw).toMatch(/^HTTP\/1\.1 413 /);
    expect(raw).toMatch(/\r\nconnection: close\r\n/i);
  });

  it('answers 413 when a chunked body passes the limit', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${server.url}/length`, { method: 'POST' }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on('error', reject);
      const chunk = Buffer.alloc(64 * 1024, 1);
      let sent = 0;
      const pump = () => {
        while (sent < 2 * 1024 * 1024) {
          sent += chunk.length;
          if (!req.write(chunk)) return req.once('drain', pump);
        }
        req.end();
      };
      pump();
    });
    expect(status).toBe(413);
  });

  it('counts requests in stats()', async () => {
    const stats = await server.stats();
    expect(stats.backend).toBe('pool');
    expect(stats.requests).toBeGreaterThan(0);
    expect(stats.workers).toHaveLength(2);
    expect(stats.workers.reduce((sum, w) => sum + w.tasks, 0)).toBeGreaterThan(0);
  });
});
