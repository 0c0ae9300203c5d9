import { describe, expect, it } from 'vitest';
import { FastResponse } from '@switchyard/core';

describe('FastResponse', () => {
  it('is a real Response', () => {
    const response = new FastResponse('hi');
    expect(response).toBeInstanceOf(Response);
    expect(Object.prototype.toString.call(response)).toBe('[object Response]');
  });

  it('reports status, headers and body like the native Response', async () => {
    const init = { status: 201, statusText: 'Made', headers: { 'x-a': '1' } };
    const fast = new FastResponse('body text', init);
    const native = new Response('body text', init);
    expect(fast.status).toBe(native.status);
    expect(fast.statusText).toBe(native.statusText);
    expect(fast.ok).toBe(native.ok);
    expect(Object.fromEntries(fast.headers)).toEqual(Object.fromEntries(native.headers));
    expect(await fast.text()).toBe(await native.text());
    expect(fast.bodyUsed).toBe(true);
    await expect(fast.text()).rejects.toThrow(TypeError);
  });

  it('reads bytes, JSON and streams', async () => {
    expect([...(await new FastResponse(new Uint8Array([1, 2])).bytes())]).toEqual([1, 2]);
    expect(await FastResponse.json({ a: 1 }).json()).toEqual({ a: 1 });
    expect(FastResponse.json({ a: 1 }).headers.get('content-type')).toBe('application/json');
    // Like Response.json: the caller's headers win, and a value JSON cannot hold is refused.
    const typed = FastResponse.json([1], { status: 201, headers: { 'content-type': 'application/vnd.x+json', 'x-a': '1' } });
    expect([typed.status, typed.headers.get('content-type'), typed.headers.get('x-a')]).toEqual([201, 'application/vnd.x+json', '1']);
    expect(() => FastResponse.json(undefined)).toThrow(TypeError);
    expect(() => Response.json(undefined)).toThrow(TypeError);
    const streamed = await new Response(new FastResponse('via stream').body).text();
    expect(streamed).toBe('via stream');
    expect(new FastResponse(null, { status: 204 }).body).toBeNull();
  });

  it('clones through the native Response', async () => {
    const original = new FastResponse('twice');
    const copy = original.clone();
    expect(await copy.text()).toBe('twice');
    expect(await original.text()).toBe('twice');
  });

  it('hands non-string bodies to the platform', async () => {
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('streamed'));
        controller.close();
      },
    });
    expect(await new FastResponse(stream).text()).toBe('streamed');
    expect(await new FastResponse(new URLSearchParams({ a: 'b' })).text()).toBe('a=b');
  });

  it('rejects a status out of range, as Response does', () => {
    expect(() => new FastResponse('x', { status: 99 })).toThrow(RangeError);
  });
});
