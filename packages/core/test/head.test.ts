import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type AccessTag, tagResponse, writeHead } from '../src/node/head.js';
import { isHeaderName } from '../src/node/headers.js';

let server: Server | undefined;
afterEach(() => server?.close());

/** Serves one response whose head is `headers`, through `writeHead` with access logs on; returns its head and the tag. */
async function respond(headers: string[]): Promise<{ head: Headers; tag: AccessTag }> {
  let tag: AccessTag | undefined;
  server = createServer((_req, res) => {
    tag = tagResponse(res, 'made-here');
    writeHead(res, 200, '', [...headers]);
    res.end('ok');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  await response.text();
  return { head: response.headers, tag: tag! };
}

describe('a response head with access logs on', () => {
  it('carries the request id, and notes the Content-Length', async () => {
    const { head, tag } = await respond(['content-length', '2']);
    expect(head.get('x-request-id')).toBe('made-here');
    expect(tag.bytes).toBe(2);
  });

  it("keeps the app's own request id and reads its Content-Length, whatever their names' case", async () => {
    const { head, tag } = await respond(['Content-Length', '2', 'X-Request-ID', 'the-app']);
    expect(head.get('x-request-id')).toBe('the-app');
    expect(tag.bytes).toBe(2);
  });

  it('is not fooled by names of the same length', async () => {
    const { head, tag } = await respond(['content-lengtx', '2', 'x-request-ix', 'other', 'content-length', '2']);
    expect(head.get('x-request-id')).toBe('made-here');
    expect(head.get('x-request-ix')).toBe('other');
    expect(tag.bytes).toBe(2);
  });
});

describe('isHeaderName', () => {
  /** RFC 9110's tchar: every character a header name may hold. */
  const tchars = "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

  it('agrees with toLowerCase for every header name one character away from the one sought', () => {
    for (const lower of ['x-request-id', 'content-length', 'te', 'x-b3-traceid']) {
      expect(isHeaderName(lower.toUpperCase(), lower)).toBe(true);
      expect(isHeaderName(lower.slice(1), lower)).toBe(false);
      for (let i = 0; i < lower.length; i++)
        for (const char of tchars) {
          const name = lower.slice(0, i) + char + lower.slice(i + 1);
          expect(isHeaderName(name, lower)).toBe(name.toLowerCase() === lower);
        }
    }
  });
});
