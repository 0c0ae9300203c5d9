import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningServer } from '@switchyard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest } from './support/http.js';
import { ensureNginx, startNginx, type Nginx } from './support/nginx.js';
import { backends, startDemo } from './support/start-demo.js';

const PREFIX = '/protected-files/';
const text = 'Served by nginx, authorised by the app.\n';
const lines = Array.from({ length: 300 }, (_, i) => `line ${i}\n`).join('');
let nginx: string;
let work: string;
let served: string;

beforeAll(async () => {
  nginx = ensureNginx();
  work = await mkdtemp(join(tmpdir(), 'demo-accel-'));
  served = join(work, 'served');
  await mkdir(served);
  await writeFile(join(work, 'secret.txt'), 'not for the web\n');
  await writeFile(join(served, 'hello.txt'), text);
  await writeFile(join(served, 'lines.txt'), lines);
  await writeFile(join(served, 'data.json'), '{"a":1}\n');
  await writeFile(join(served, 'two words.txt'), 'a name with a space\n');
  // nginx's workers run as an unprivileged user when started by root.
  await chmod(work, 0o755);
  await chmod(served, 0o755);
  process.env.DEMO_FILES_DIR = served;
  process.env.DEMO_ACCEL_REDIRECT = PREFIX;
}, 180_000);
afterAll(async () => {
  delete process.env.DEMO_FILES_DIR;
  delete process.env.DEMO_ACCEL_REDIRECT;
  await rm(work, { recursive: true, force: true });
});

describe.each(backends)('/files with X-Accel-Redirect under %s, behind a real nginx', (backend) => {
  let server: RunningServer;
  let proxy: Nginx;
  beforeAll(async () => {
    server = await startDemo(backend);
    proxy = await startNginx({ nginx, upstream: server.url, internalPrefix: PREFIX, dir: served });
  });
  afterAll(async () => {
    await proxy?.stop();
    await server?.close();
  });

  it('answers the app itself with an empty body, the redirect header and the content type', async () => {
    const response = await rawRequest(server.url, '/files/data.json');
    expect(response.status).toBe(200);
    expect(response.headers['x-accel-redirect']).toBe(`${PREFIX}data.json`);
    expect(response.headers['content-type']).toBe('application/json');
    expect(response.body.byteLength).toBe(0);
  });

  it('checks the name before handing over: missing and traversal are 404 with no redirect', async () => {
    for (const path of ['/files/missing.txt', '/files/..%2fsecret.txt', '/files/%2e%2e%2fsecret.txt', '/files/..%5csecret.txt', '/files/%00']) {
      const response = await rawRequest(server.url, path);
      expect([path, response.status, response.headers['x-accel-redirect']]).toEqual([path, 404, undefined]);
    }
  });

  it("gets the file from nginx, with the app's content type and the file's length", async () => {
    const response = await rawRequest(proxy.url, '/files/hello.txt');
    expect(response.status).toBe(200);
    expect(response.body.toString()).toBe(text);
    expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(response.headers['content-length']).toBe(String(text.length));
    expect(response.headers['x-accel-redirect']).toBeUndefined();
  });

  it('lets nginx answer a Range', async () => {
    const response = await rawRequest(proxy.url, '/files/lines.txt', { headers: { range: 'bytes=7-20' } });
    expect(response.status).toBe(206);
    expect(response.headers['content-range']).toBe(`bytes 7-20/${lines.length}`);
    expect(response.body.toString()).toBe(lines.slice(7, 21));
  });

  it('serves a name that needs escaping', async () => {
    const response = await rawRequest(proxy.url, '/files/two%20words.txt');
    expect([response.status, response.body.toString()]).toEqual([200, 'a name with a space\n']);
  });

  it("keeps the internal location internal, and passes the app's 404s through", async () => {
    expect((await rawRequest(proxy.url, `${PREFIX}hello.txt`)).status).toBe(404);
    expect((await rawRequest(proxy.url, '/files/missing.txt')).status).toBe(404);
    const traversal = await rawRequest(proxy.url, '/files/..%2fsecret.txt');
    expect(traversal.status).toBe(404);
    expect(traversal.body.toString()).not.toContain('not for the web');
  });
});
