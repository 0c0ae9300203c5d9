import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { json, startPool, waitFor } from './helpers.js';

type Produced = { bytes: number; chunks: number; cancelled: boolean };

function openRaw(url: string, path: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      // HTTP/1.0: no chunked framing, the body runs to the end of the connection.
      socket.write(`GET ${path} HTTP/1.0\r\nHost: x\r\n\r\n`);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

describe('pool: streamed responses', () => {
  let server: Awaited<ReturnType<typeof startPool>> | undefined;

  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('does not let a slow client make the thread produce without bound, and delivers every byte once it reads', async () => {
    // One thread, so /produced is asked of the thread that streams.
    const window = 64 * 1024;
    server = await startPool({ workers: 1, pool: { streamWindow: window } });
    const size = 64 * 1024 * 1024;
    const socket = await openRaw(server.url, `/download?size=${size}`);
    socket.pause();

    // Wait until production stops: the client reads nothing, so credit runs out.
    let last = -1;
    const stalled = await waitFor(
      async () => {
        const { bytes } = await json<Produced>(fetch(`${server!.url}/produced`));
        if (bytes > 0 && bytes === last) return bytes;
        last = bytes;
        await new Promise((resolve) => setTimeout(resolve, 200));
        return undefined;
      },
      15_000,
      'production to stall',
    );
    // The window, the socket buffers of both ends and the stream's own queue: far from the whole body.
    expect(stalled).toBeLessThan(size / 4);

    // Reading resumes production, and the whole body arrives intact.
    let received = 0;
    let headerEnd = -1;
    let head = '';
    let wrong = 0;
    await new Promise<void>((resolve, reject) => {
      socket.on('data', (chunk: Buffer) => {
        let body = chunk;
        if (headerEnd < 0) {
          head += chunk.toString('latin1');
          headerEnd = head.indexOf('\r\n\r\n');
          if (headerEnd < 0) return;
          body = Buffer.from(head.slice(headerEnd + 4), 'latin1');
        }
        received += body.length;
        for (const byte of body) if (byte !== 7) wrong++;
      });
      socket.on('end', resolve);
      socket.on('error', reject);
      socket.resume();
    });
    expect(head).toMatch(/^HTTP\/1\.1 200 /);
    expect(wrong).toBe(0);
    expect(received).toBe(size);
    expect((await json<Produced>(fetch(`${server.url}/produced`))).bytes).toBe(size);
  });

  it('keeps an SSE stream open and flowing, and cancels it when the client leaves', async () => {
    server = await startPool({ workers: 1, limits: { requestTimeout: 300 } });
    const controller = new AbortController();
    const response = await fetch(`${server.url}/sse`, { signal: controller.signal });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    // Read past the request timeout: a started stream is not cut by it.
    const started = Date.now();
    while (Date.now() - started < 600 || !text.includes('data: 5\n')) {
      const { value, done } = await reader.read();
      if (done) throw new Error('the stream ended early');
      text += decoder.decode(value);
    }
    expect(text.startsWith('data: 0\n\n')).toBe(true);
    expect((await server.stats()).inFlight).toBe(1);
    controller.abort();
    await waitFor(async () => (await json<Produced>(fetch(`${server!.url}/produced`))).cancelled, 5000, 'the stream to be cancelled on the thread');
    await waitFor(async () => (await server!.stats()).inFlight === 0, 5000, 'nothing in flight');
  });

  it('sends a native Response whose body is already complete with a content-length', async () => {
    server = await startPool({ workers: 1 });
    const response = await fetch(`${server.url}/binary?native=1`);
    expect(response.headers.get('content-length')).toBe('256');
    expect((await response.arrayBuffer()).byteLength).toBe(256);
  });
});
