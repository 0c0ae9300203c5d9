import { afterEach, describe, expect, it } from 'vitest';
import { fastGlobalsOn, FastResponse, NativeRequest, NativeResponse, useFastGlobals } from '@switchyard/core';

/** Whether structuredClone refuses `value` (the platform's classes: Node 22 and later). */
function refusesClone(value: object): boolean {
  try {
    structuredClone(value);
    return false;
  } catch (error) {
    return (error as Error).name === 'DataCloneError';
  }
}

describe('the fast globals', () => {
  const releases: Array<() => void> = [];
  const use = () => {
    const release = useFastGlobals();
    releases.push(release);
    return release;
  };
  afterEach(() => {
    for (const release of releases.splice(0)) release();
    expect(globalThis.Response).toBe(NativeResponse);
  });

  it('replace the global Request and Response, counted, until the last user releases them', () => {
    expect(fastGlobalsOn()).toBe(false);
    const first = use();
    const second = use();
    expect(globalThis.Response).toBe(FastResponse);
    expect(globalThis.Request).not.toBe(NativeRequest);
    expect(Request.name).toBe('Request');
    first();
    first(); // twice is once
    expect(fastGlobalsOn()).toBe(true);
    second();
    expect(fastGlobalsOn()).toBe(false);
    expect(globalThis.Request).toBe(NativeRequest);
  });

  it('build light responses that pass for native ones, and natives still pass instanceof', async () => {
    use();
    const light = new Response('hi', { status: 201, headers: { 'x-a': '1' } });
    const native = new NativeResponse('hi');
    expect(light).toBeInstanceOf(Response);
    expect(light).toBeInstanceOf(NativeResponse);
    expect(native).toBeInstanceOf(Response);
    expect(await fetchLike()).toBeInstanceOf(Response);
    expect(Object.prototype.toString.call(light)).toBe('[object Response]');
    expect([light.status, light.ok, light.headers.get('x-a'), light.headers.get('content-type')]).toEqual([201, true, '1', 'text/plain;charset=UTF-8']);
    expect(await light.text()).toBe('hi');
    expect(refusesClone(light)).toBe(refusesClone(native));
    class Mine extends Response {}
    const mine = new Mine('x');
    expect(mine).toBeInstanceOf(Mine);
    expect(light).not.toBeInstanceOf(Mine);
  });

  it('keep the statics, clone, stream bodies and the null-body statuses', async () => {
    use();
    const json = Response.json({ a: 1 }, { status: 202 });
    expect([json.status, json.headers.get('content-type'), await json.json()]).toEqual([202, 'application/json', { a: 1 }]);
    expect(Response.redirect('http://localhost/next', 307).headers.get('location')).toBe('http://localhost/next');
    expect(Response.error().type).toBe('error');
    const original = new Response('twice');
    const copy = original.clone();
    expect([await copy.text(), await original.text()]).toEqual(['twice', 'twice']);
    const streamed = new Response(new ReadableStream({ start: (c) => (c.enqueue(new TextEncoder().encode('streamed')), c.close()) }));
    expect(await streamed.text()).toBe('streamed');
    expect(await new Response(new Blob(['blob'], { type: 'text/x-blob' })).text()).toBe('blob');
    expect(() => new Response('body', { status: 204 })).toThrow(TypeError);
    expect(() => new NativeResponse('body', { status: 204 })).toThrow(TypeError);
    expect(new Response(null, { status: 204 }).body).toBeNull();
  });

  it('copy the headers they are given, as the native Response does', () => {
    use();
    const headers = new Headers({ 'x-a': '1' });
    const object: Record<string, string> = { 'x-b': '2' };
    const list: [string, string][] = [['x-c', '3']];
    const fromHeaders = new Response('x', { headers });
    const fromObject = new Response('x', { headers: object });
    const fromList = new Response('x', { headers: list });
    headers.set('x-a', 'changed');
    object['x-b'] = 'changed';
    list[0]![1] = 'changed';
    expect(fromHeaders.headers.get('x-a')).toBe('1');
    expect(fromObject.headers.get('x-b')).toBe('2');
    expect(fromList.headers.get('x-c')).toBe('3');
    const set = new Response('x');
    set.headers.set('x-d', '4');
    expect(set.headers.get('x-d')).toBe('4');
    expect(() => new Response('x', { headers: [['only-a-name']] as unknown as [string, string][] })).toThrow(TypeError);
  });

  it('make new Request() work as before, with native Requests and strings', async () => {
    use();
    const request = new Request('http://localhost/a', { method: 'POST', body: 'abc' });
    expect(request).toBeInstanceOf(NativeRequest);
    const copy = new Request(request, { headers: { 'x-a': '1' } });
    expect([copy.method, copy.url, copy.headers.get('x-a'), await copy.text()]).toEqual(['POST', 'http://localhost/a', '1', 'abc']);
    expect(new NativeRequest('http://localhost/')).toBeInstanceOf(Request);
  });
});

/** A native Response from the platform, the way fetch() hands them out. */
async function fetchLike(): Promise<Response> {
  return NativeResponse.json({ from: 'platform' });
}
