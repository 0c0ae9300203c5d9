import { describe, expect, it } from 'vitest';
import { rawExchange, statuses } from './helpers.js';
import type { SuiteEnv } from './index.js';

/** One raw request to `/url` (which answers `request.url`), closing after it. */
async function askUrl(env: SuiteEnv, head: string): Promise<{ statuses: number[]; body: string }> {
  const exchange = await rawExchange(env.server.port, [`${head}\r\nConnection: close\r\n\r\n`]);
  return { statuses: statuses(exchange.text), body: exchange.text.split('\r\n\r\n').slice(1).join('\r\n\r\n') };
}

/**
 * The Host header and the request target (RFC 9112, 3.2): a request whose
 * authority the URL parser cannot read is refused before the app runs, so
 * `request.url` always parses and never carries userinfo.
 */
export function hostTests(env: SuiteEnv): void {
  describe('hosts and targets', () => {
    it.each(['[::1', 'x:99999', 'x:abc', 'a b', '', 'x/y', 'evil@y', 'a<b>', '999.1.1.1', 'x:1:2'])(
      'answers Host %j with 400 before the app runs, and keeps serving',
      async (host) => {
        const answer = await askUrl(env, `GET /url HTTP/1.1\r\nHost: ${host}`);
        expect(answer.statuses).toEqual([400]);
        expect(answer.body).not.toContain('http://');
        expect((await askUrl(env, 'GET /url HTTP/1.1\r\nHost: ok.example')).body).toBe('http://ok.example/url');
      },
    );

    it('answers two Host headers with 400', async () => {
      const answer = await askUrl(env, 'GET /url HTTP/1.1\r\nHost: a.example\r\nHost: b.example');
      expect(answer.statuses).toEqual([400]);
    });

    it('answers an absolute-form target with userinfo with 400', async () => {
      const answer = await askUrl(env, 'GET http://user:secret@a.example/url HTTP/1.1\r\nHost: a.example');
      expect(answer.statuses).toEqual([400]);
      expect(answer.body).not.toContain('secret');
    });

    it.each([
      ['[::1]:8080', 'http://[::1]:8080/url'],
      ['127.0.0.1:3000', 'http://127.0.0.1:3000/url'],
      ['Example.COM', 'http://example.com/url'],
      ['x.example:', 'http://x.example/url'],
    ])('gives the app a parsed URL for Host %j', async (host, url) => {
      const answer = await askUrl(env, `GET /url HTTP/1.1\r\nHost: ${host}`);
      expect(answer.statuses).toEqual([200]);
      expect(answer.body).toBe(url);
    });

    it("takes an absolute-form target's authority over the Host header", async () => {
      const answer = await askUrl(env, 'GET http://other.example:81/url?x=1 HTTP/1.1\r\nHost: a.example');
      expect(answer.statuses).toEqual([200]);
      expect(answer.body).toBe('http://other.example:81/url?x=1');
    });

    it('serves an HTTP/1.0 request without a Host at localhost', async () => {
      const answer = await askUrl(env, 'GET /url HTTP/1.0');
      expect(answer.statuses).toEqual([200]);
      expect(new URL(answer.body).href).toBe('http://localhost/url');
    });
  });
}
