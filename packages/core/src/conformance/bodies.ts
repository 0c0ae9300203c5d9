import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { conformanceLimits, type SuiteEnv } from './index.js';
import { chunkedUpload, readEvents } from './helpers.js';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Request bodies in every shape, and response bodies: strings, bytes, streams, SSE. */
export function bodyTests(env: SuiteEnv): void {
  describe('request bodies', () => {
    it('reads an empty body', async () => {
      const response = await fetch(env.url('/echo'), { method: 'POST', body: '' });
      expect(response.headers.get('x-length')).toBe('0');
    });

    it('reads JSON', async () => {
      const payload = { name: 'switchyard', list: [1, 2, 3], nested: { ok: true } };
      const response = await fetch(env.url('/echo-json'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(payload),
      });
      expect(await response.json()).toEqual({ received: payload });
    });

    it('reads binary bytes unchanged', async () => {
      const bytes = randomBytes(4096);
      const response = await fetch(env.url('/echo'), { method: 'POST', body: bytes, headers: { 'content-type': 'application/x-test' } });
      expect(response.headers.get('content-type')).toBe('application/x-test');
      expect(Buffer.from(await response.arrayBuffer()).equals(bytes)).toBe(true);
    });

    it('reads a body of exactly the size limit', async () => {
      const bytes = randomBytes(conformanceLimits.maxBodySize);
      const response = await fetch(env.url('/echo'), { method: 'POST', body: bytes });
      expect(response.status).toBe(200);
      expect(response.headers.get('x-length')).toBe(String(bytes.length));
      expect(response.headers.get('x-sha256')).toBe(sha256(bytes));
    });

    it('reads a chunked upload, as a stream', async () => {
      const bytes = randomBytes(300 * 1024);
      const { status, text } = await chunkedUpload(env.url('/echo-stream'), bytes, 16 * 1024);
      expect(status).toBe(200);
      expect(JSON.parse(text)).toEqual({ length: bytes.length, sha256: sha256(bytes) });
    });

    it('reads a streamed fetch upload', async () => {
      const bytes = randomBytes(200 * 1024);
      const body = new ReadableStream({
        start(controller) {
          for (let i = 0; i < bytes.length; i += 50 * 1024) controller.enqueue(bytes.subarray(i, i + 50 * 1024));
          controller.close();
        },
      });
      const response = await fetch(env.url('/echo'), { method: 'POST', body, duplex: 'half' } as RequestInit);
      expect(response.headers.get('x-sha256')).toBe(sha256(bytes));
    });
  });

  describe('response bodies', () => {
    it('sends a string with its length and the default content type', async () => {
      const response = await fetch(env.url('/text'));
      expect(response.headers.get('content-type')).toBe('text/plain;charset=UTF-8');
      expect(await response.text()).toBe('hello from switchyard');
    });

    it("sends core's FastResponse like a native one", async () => {
      const text = await fetch(env.url('/fast'));
      expect(text.headers.get('content-type')).toBe('text/plain;charset=UTF-8');
      expect(text.headers.get('content-length')).toBe('10');
      expect(await text.text()).toBe('fast hello');
      const bytes = await fetch(env.url('/fast-bytes'));
      expect(bytes.headers.get('content-type')).toBe('application/octet-stream');
      expect([...new Uint8Array(await bytes.arrayBuffer())]).toEqual([1, 2, 3, 250]);
    });

    it('sends bytes', async () => {
      const body = new Uint8Array(await (await fetch(env.url('/bytes'))).arrayBuffer());
      expect(body).toEqual(Uint8Array.from({ length: 256 }, (_, i) => i));
    });

    it('sends JSON from Response.json', async () => {
      const response = await fetch(env.url('/json'));
      expect(response.headers.get('content-type')).toBe('application/json');
      expect(await response.json()).toEqual({ ok: true, list: [1, 2, 3] });
    });

    it('streams a ReadableStream body, every chunk in order', async () => {
      const response = await fetch(env.url('/stream?chunks=40&size=8192'));
      const body = new Uint8Array(await response.arrayBuffer());
      expect(body.byteLength).toBe(40 * 8192);
      for (let i = 0; i < 40; i++) expect(body[i * 8192]).toBe(i);
    });

    it('keeps an SSE stream open past the request timeout', async () => {
      // 8 events 250 ms apart outlast requestTimeout (1.5 s): streams are not cut.
      const response = await fetch(env.url('/sse?count=8&interval=250'));
      expect(response.headers.get('content-type')).toBe('text/event-stream');
      const { events } = await readEvents(response, 8, 10_000);
      expect(events).toEqual(['0', '1', '2', '3', '4', '5', '6', '7']);
    });

    it('applies backpressure: a client that stops reading stops the producer', async () => {
      const controller = new AbortController();
      const response = await fetch(env.url('/infinite?id=bp'), { signal: controller.signal });
      const reader = response.body!.getReader();
      await reader.read();
      // Stop reading for a while; without backpressure the producer would run on unbounded.
      await new Promise((resolve) => setTimeout(resolve, 500));
      controller.abort();
      const line = await env.log.waitFor('pulled bp ');
      const pulled = Number(line.split(' ')[2]);
      expect(pulled).toBeGreaterThan(0);
      expect(pulled).toBeLessThan(32 * 1024 * 1024);
    });
  });
}
