import { request as httpRequest } from 'node:http';
import { describe, expect, it } from 'vitest';
import { rawExchange, statuses } from './helpers.js';
import type { SuiteEnv } from './index.js';

function portOf(env: SuiteEnv): number {
  return env.server.port;
}

/** Methods, status codes, headers, URLs, keep-alive and pipelining. */
export function protocolTests(env: SuiteEnv): void {
  describe('methods and status codes', () => {
    it.each(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])('passes %s to the handler', async (method) => {
      const hasBody = method !== 'GET';
      const response = await fetch(env.url('/method'), { method, body: hasBody ? 'abc' : undefined });
      expect(response.status).toBe(200);
      expect(await response.text()).toBe(`${method} ${hasBody ? 3 : 0}`);
    });

    it('answers HEAD with the headers of GET and no body', async () => {
      const response = await fetch(env.url('/text'), { method: 'HEAD' });
      expect(response.status).toBe(200);
      // Hono answers HEAD itself, with the GET route's headers on a response without a body (so no length).
      const length = env.options.app === 'hono' ? null : String('hello from switchyard'.length);
      expect(response.headers.get('content-length')).toBe(length);
      expect(await response.text()).toBe('');
    });

    it.each([201, 202, 404, 418, 500, 503])('sends status %i with its body', async (code) => {
      const response = await fetch(env.url(`/status?code=${code}`));
      expect(response.status).toBe(code);
      expect(await response.text()).toBe(`status ${code}`);
    });

    it('sends 204 and 304 without a body', async () => {
      const exchange = await rawExchange(portOf(env), [
        'GET /status?code=204 HTTP/1.1\r\nHost: t\r\n\r\nGET /status?code=304 HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n',
      ]);
      expect(statuses(exchange.text)).toEqual([204, 304]);
      expect(exchange.text).not.toContain('status 204');
    });

    it('keeps a custom status text', async () => {
      const response = await fetch(env.url('/status?code=299&text=Fine%20Indeed'));
      expect(response.status).toBe(299);
      expect(response.statusText).toBe('Fine Indeed');
    });

    it('answers an unknown path with what the app says (404)', async () => {
      const response = await fetch(env.url('/nowhere'));
      expect(response.status).toBe(404);
    });
  });

  describe('urls and headers', () => {
    it('gives the handler an absolute URL with the query string', async () => {
      const response = await fetch(env.url('/url?x=1&y=a%20b'));
      expect(await response.text()).toBe(`${env.server.url}/url?x=1&y=a%20b`);
    });

    it('joins repeated request headers and keeps every request header', async () => {
      const body = await new Promise<string>((resolve, reject) => {
        const req = httpRequest(env.url('/headers'), { headers: { 'x-multi': ['a', 'b'], 'x-single': 'yes' } }, (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk) => (text += chunk));
          res.on('end', () => resolve(text));
        });
        req.on('error', reject);
        req.end();
      });
      const seen = JSON.parse(body) as Record<string, string>;
      expect(seen['x-multi']).toBe('a, b');
      expect(seen['x-single']).toBe('yes');
      expect(seen.host).toBe(new URL(env.server.url).host);
    });

    it('sends multi-value response headers and each set-cookie on its own', async () => {
      const response = await fetch(env.url('/headers'));
      expect(response.headers.get('x-multi')).toBe('one, two');
      expect(response.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; Path=/; HttpOnly']);
      expect(response.headers.get('content-type')).toBe('application/json');
    });
  });

  describe('globals', () => {
    it('answers a response whose header HTTP cannot carry with 500, and keeps serving', async () => {
      const response = await fetch(env.url('/bad-header'));
      expect(response.status).toBe(500);
      expect(await (await fetch(env.url('/text'))).text()).toBe('hello from switchyard');
    });

    it('gives the app the fast global Response and Request unless fastGlobals is false', async () => {
      const response = await fetch(env.url('/globals'), { method: 'POST', body: 'payload' });
      const fast = env.options.fastGlobals !== false;
      expect(await response.json()).toEqual({ fast, ...(fast ? { wrapped: ['POST', 'yes', 'payload'] } : {}) });
    });
  });

  describe('connections', () => {
    it('serves several requests on one keep-alive connection', async () => {
      const request = (path: string, last = false) => `GET ${path} HTTP/1.1\r\nHost: t\r\n${last ? 'Connection: close\r\n' : ''}\r\n`;
      const exchange = await rawExchange(portOf(env), [request('/url?n=1'), request('/url?n=2'), request('/url?n=3', true)], { gapMs: 50 });
      expect(statuses(exchange.text)).toEqual([200, 200, 200]);
      expect(exchange.closed).toBe(true);
    });

    it('answers pipelined requests in order, even when the first is the slowest', async () => {
      const pipelined =
        'GET /sleep?ms=150 HTTP/1.1\r\nHost: t\r\n\r\n' +
        [2, 3, 4].map((n) => `GET /url?n=${n} HTTP/1.1\r\nHost: t\r\n${n === 4 ? 'Connection: close\r\n' : ''}\r\n`).join('');
      const exchange = await rawExchange(portOf(env), [pipelined]);
      expect(statuses(exchange.text)).toEqual([200, 200, 200, 200]);
      const order = [...exchange.text.matchAll(/slept|\/url\?n=(\d)/g)].map((match) => match[1] ?? 'slept');
      expect(order).toEqual(['slept', '2', '3', '4']);
    });
  });
}
