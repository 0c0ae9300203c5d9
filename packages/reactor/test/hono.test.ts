import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '@switchyard/core';
import { serve } from '@switchyard/reactor';

describe('an unchanged Hono app', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await serve({ app: fileURLToPath(new URL('./fixtures/hono-app.mjs', import.meta.url)), port: 0, signals: false });
  });
  afterAll(() => server.close());

  it('routes, reads params and queries', async () => {
    expect(await (await fetch(`${server.url}/`)).text()).toBe('hello from hono');
    expect(await (await fetch(`${server.url}/users/42?q=x`)).json()).toEqual({ id: '42', q: 'x' });
  });

  it('reads JSON bodies and headers', async () => {
    const response = await fetch(`${server.url}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ a: [1, 2] }),
    });
    expect(await response.json()).toEqual({ got: { a: [1, 2] }, type: 'application/json' });
  });

  it('sees the Switchyard context as its env', async () => {
    expect(await (await fetch(`${server.url}/where`)).json()).toEqual({ backend: 'reactor', workerId: 0 });
  });

  it('answers unknown routes with its own 404', async () => {
    expect((await fetch(`${server.url}/missing`)).status).toBe(404);
  });
});
