/** The correctness check against a real server that sheds with 503 and Retry-After. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { checkAnswer } from '@switchyard/bench';

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** A server that refuses its first `refusals` requests with 503 (and `retryAfter`, when given), then answers 200. */
async function shedding(refusals: number, retryAfter?: string): Promise<{ url: string; asked: () => number }> {
  let asked = 0;
  server = createServer((_req, res) => {
    asked++;
    if (asked <= refusals) res.writeHead(503, retryAfter === undefined ? {} : { 'retry-after': retryAfter }).end('busy');
    else res.end('ok');
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, asked: () => asked };
}

describe('checkAnswer', () => {
  it('asks again after a 503 with Retry-After, as a client would', async () => {
    const target = await shedding(1, '1');
    expect(await checkAnswer(target.url, { path: '/' }, { bodyIncludes: 'ok' })).toEqual([]);
    expect(target.asked()).toBe(2);
  });

  it('gives up after three tries', async () => {
    const target = await shedding(10, '0');
    expect(await checkAnswer(target.url, { path: '/' })).toEqual(['status 503, expected 200 (body "busy")']);
    expect(target.asked()).toBe(3);
  });

  it('takes a 503 without Retry-After, or one expected, as the answer', async () => {
    const bare = await shedding(10);
    expect(await checkAnswer(bare.url, { path: '/' })).toEqual(['status 503, expected 200 (body "busy")']);
    expect(bare.asked()).toBe(1);
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    const expected = await shedding(10, '0');
    expect(await checkAnswer(expected.url, { path: '/' }, { status: 503 })).toEqual([]);
    expect(expected.asked()).toBe(1);
  });
});
