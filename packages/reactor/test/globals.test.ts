import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { NativeResponse } from '@switchyard/core';
import { serve } from '@switchyard/reactor';

const app = fileURLToPath(new URL('./fixtures/globals-app.mjs', import.meta.url));

async function ask(fastGlobals: boolean | undefined) {
  await using server = await serve({ app, port: 0, signals: false, ...(fastGlobals === undefined ? {} : { fastGlobals }) });
  const response = await fetch(server.url, { method: 'POST', body: 'payload' });
  return { status: response.status, seen: response.status === 200 ? await response.json() : await response.text() };
}

describe('the fast globals under the reactor', () => {
  it('are on by default: the app builds FastResponses and can wrap its request in new Request()', async () => {
    expect(await ask(undefined)).toEqual({
      status: 200,
      seen: { fastResponse: true, wrappedHeader: 'yes', wrappedBody: 'payload', requestIsRequest: true },
    });
    // Given back when the server closed.
    expect(globalThis.Response).toBe(NativeResponse);
  });

  it('are off with fastGlobals: false: the platform classes, which cannot wrap the lazy request', async () => {
    const { status } = await ask(false);
    expect(status).toBe(500);
    expect(globalThis.Response).toBe(NativeResponse);
  });
});
