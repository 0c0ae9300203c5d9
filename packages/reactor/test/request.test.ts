import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '@switchyard/core';
import { serve } from '@switchyard/reactor';

describe('the lazy Request', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await serve({ app: fileURLToPath(new URL('./fixtures/request-app.mjs', import.meta.url)), port: 0, signals: false });
  });
  afterAll(() => server.close());

  it('is a real Request with method, url and headers read from Node', async () => {
    const seen = await (await fetch(`${server.url}/info?x=1`, { headers: { accept: 'text/x-test' } })).json();
    expect(seen).toEqual({
      isRequest: true,
      tag: '[object Request]',
      method: 'GET',
      url: `${server.url}/info?x=1`,
      accept: 'text/x-test',
      mode: 'cors',
      bodyNull: true,
      signalAborted: false,
    });
  });

  it('builds the native Request for rare members such as formData and clone', async () => {
    const form = new FormData();
    form.set('name', 'yard');
    expect(await (await fetch(`${server.url}/form`, { method: 'POST', body: form })).json()).toEqual({ name: 'yard' });
    expect(await (await fetch(`${server.url}/clone`, { method: 'POST', body: 'copy me' })).json()).toEqual({ a: 'copy me', b: 'copy me' });
  });

  it('refuses to read a body twice', async () => {
    const response = await fetch(`${server.url}/twice`, { method: 'POST', body: 'once' });
    expect(response.status).toBe(409);
    expect(await response.text()).toBe('TypeError');
  });

  it('reads a body with each reader', async () => {
    const post = (as: string, body: string, type = 'application/json') =>
      fetch(`${server.url}/readers?as=${as}`, { method: 'POST', body, headers: { 'content-type': type } }).then((r) => r.json());
    expect(await post('json', '{"a":[1,2],"b":"ü"}')).toEqual({ a: [1, 2], b: 'ü' });
    expect(await post('text', 'plain ü text')).toBe('plain ü text');
    expect(await post('bytes', 'some bytes')).toEqual({ length: 10, ownBuffer: true, text: 'some bytes' });
    expect(await post('arrayBuffer', 'abc')).toEqual({ length: 3, ownBuffer: true, text: 'abc' });
    expect(await post('blob', 'in a blob', 'text/x-test')).toEqual({ type: 'text/x-test', text: 'in a blob' });
    const large = 'x'.repeat(300_000);
    expect(await post('text', large).then((t) => t.length)).toBe(300_000);
  });

  it('fails the request when its JSON body does not parse, and reads an empty body twice', async () => {
    const bad = await fetch(`${server.url}/readers?as=json`, { method: 'POST', body: '{not json' });
    expect(bad.status).toBe(500);
    expect(await (await fetch(`${server.url}/empty-twice`)).json()).toEqual({ first: '', second: 0, used: false });
  });
});
