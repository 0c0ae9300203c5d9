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
});
