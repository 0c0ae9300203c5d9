import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningServer } from '@switchyard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest } from './support/http.js';
import { backends, startDemo } from './support/start-demo.js';

/** Bigger than one 64 KiB read, so streaming and ranges cross chunk boundaries. */
const big = randomBytes(300_000);
const hello = 'Hello, files!\n';
let work: string;

beforeAll(async () => {
  // <work>/served is the files directory; <work>/secret.txt sits just outside it.
  work = await mkdtemp(join(tmpdir(), 'demo-files-'));
  const served = join(work, 'served');
  await mkdir(join(served, 'sub'), { recursive: true });
  await writeFile(join(work, 'secret.txt'), 'not for the web\n');
  await writeFile(join(served, 'hello.txt'), hello);
  await writeFile(join(served, 'big.bin'), big);
  await writeFile(join(served, 'empty.txt'), '');
  await writeFile(join(served, 'data.json'), '{"a":1}\n');
  await writeFile(join(served, '.hidden'), 'dot file\n');
  await writeFile(join(served, 'sub', 'inner.txt'), 'inner\n');
  await symlink(join(work, 'secret.txt'), join(served, 'link.txt'));
  process.env.DEMO_FILES_DIR = served;
});
afterAll(async () => {
  delete process.env.DEMO_FILES_DIR;
  await rm(work, { recursive: true, force: true });
});

describe.each(backends)('/files under %s', (backend) => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startDemo(backend);
  });
  afterAll(() => server?.close());

  const get = (path: string, headers?: Record<string, string>) => rawRequest(server.url, path, { headers });

  it('streams a file with its content type and length', async () => {
    const text = await get('/files/hello.txt');
    expect(text.status).toBe(200);
    expect(text.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(text.headers['content-length']).toBe(String(Buffer.byteLength(hello)));
    expect(text.headers['accept-ranges']).toBe('bytes');
    expect(text.body.toString()).toBe(hello);

    const binary = await get('/files/big.bin');
    expect(binary.status).toBe(200);
    expect(binary.headers['content-type']).toBe('application/octet-stream');
    expect(binary.headers['content-length']).toBe(String(big.byteLength));
    expect(binary.body.equals(big)).toBe(true);

    expect((await get('/files/data.json')).headers['content-type']).toBe('application/json');
    const empty = await get('/files/empty.txt');
    expect([empty.status, empty.headers['content-length'], empty.body.byteLength]).toEqual([200, '0', 0]);
  });

  it('answers a Range with 206 and Content-Range', async () => {
    const middle = await get('/files/big.bin', { range: 'bytes=65530-131080' });
    expect(middle.status).toBe(206);
    expect(middle.headers['content-range']).toBe(`bytes 65530-131080/${big.byteLength}`);
    expect(middle.headers['content-length']).toBe('65551');
    expect(middle.body.equals(big.subarray(65530, 131081))).toBe(true);

    const suffix = await get('/files/big.bin', { range: 'bytes=-100' });
    expect(suffix.status).toBe(206);
    expect(suffix.headers['content-range']).toBe(`bytes ${big.byteLength - 100}-${big.byteLength - 1}/${big.byteLength}`);
    expect(suffix.body.equals(big.subarray(-100))).toBe(true);

    const open = await get('/files/hello.txt', { range: 'bytes=7-' });
    expect([open.status, open.body.toString()]).toEqual([206, hello.slice(7)]);

    // An end past the file is cut to the file (RFC 9110, 14.1.2).
    const past = await get('/files/hello.txt', { range: 'bytes=0-999999' });
    expect([past.status, past.headers['content-range'], past.body.toString()]).toEqual([206, `bytes 0-${hello.length - 1}/${hello.length}`, hello]);
  });

  it('answers an unsatisfiable Range with 416 and the size', async () => {
    const response = await get('/files/hello.txt', { range: `bytes=${hello.length}-` });
    expect(response.status).toBe(416);
    expect(response.headers['content-range']).toBe(`bytes */${hello.length}`);
    expect((await get('/files/empty.txt', { range: 'bytes=-5' })).status).toBe(416);
  });

  it('ignores a Range it does not serve (several ranges, malformed) and sends the whole file', async () => {
    for (const range of ['bytes=0-1,5-6', 'bytes=5-2', 'lines=1-2', 'bytes=x-y']) {
      const response = await get('/files/hello.txt', { range });
      expect([range, response.status, response.body.toString()]).toEqual([range, 200, hello]);
    }
  });

  it('answers HEAD with the headers and no body, and refuses other methods', async () => {
    const head = await rawRequest(server.url, '/files/big.bin', { method: 'HEAD' });
    expect([head.status, head.headers['content-length'], head.body.byteLength]).toEqual([200, String(big.byteLength), 0]);
    expect((await rawRequest(server.url, '/files/hello.txt', { method: 'POST', body: 'x' })).status).toBe(405);
  });

  it('gives 404 for a missing file, a directory, a hidden file and a symbolic link', async () => {
    for (const path of ['/files/missing.txt', '/files/sub', '/files/sub/inner.txt', '/files/.hidden', '/files/link.txt', '/files/', '/files']) {
      expect([path, (await get(path)).status]).toEqual([path, 404]);
    }
  });

  it.each([
    '/files/../secret.txt',
    '/files/%2e%2e/secret.txt',
    '/files/%2e%2e%2fsecret.txt',
    '/files/..%2fsecret.txt',
    '/files/..%2Fsecret.txt',
    '/files/.%2e%2fsecret.txt',
    '/files/..%5csecret.txt',
    '/files/..%5C..%5Csecret.txt',
    '/files/..\\secret.txt',
    '/files/%252e%252e%252fsecret.txt',
    '/files/sub%2f..%2f..%2fsecret.txt',
    '/files/hello.txt%00.json',
    '/files/%00',
    '/files/%c0%ae%c0%ae%2fsecret.txt',
    '/files/%e0%80%ae%e0%80%ae/secret.txt',
    '/files/%zz',
  ])('refuses traversal %s with 404', async (path) => {
    const response = await get(path);
    expect(response.status).toBe(404);
    expect(response.body.toString()).not.toContain('not for the web');
  });

  it('still serves after the refusals', async () => {
    expect((await get('/files/hello.txt')).body.toString()).toBe(hello);
    expect((await get('/hello')).status).toBe(200);
  });
});
