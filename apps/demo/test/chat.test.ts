import http from 'node:http';
import type { RunningServer } from '@switchyard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEventStream, type EventStream } from './support/sse.js';
import { backends, startDemo } from './support/start-demo.js';

const WORKERS = 2;

/** GET /chat on a fresh connection each time, so cluster's round robin reaches every process. */
function openStreamsOn(url: string): Promise<{ openStreams: number; workerId: number }> {
  return new Promise((resolve, reject) => {
    http
      .get(`${url}/chat`, { agent: false }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve(JSON.parse(body) as { openStreams: number; workerId: number }));
      })
      .on('error', reject);
  });
}

describe.each(backends)('/chat under %s', (backend) => {
  const contexts = backend === 'reactor' ? 1 : WORKERS;
  let server: RunningServer;
  beforeAll(async () => {
    // A long grace period: a stream that outlived its client would make close() hang, failing the hook.
    server = await startDemo(backend, { graceMs: 60_000 });
  });
  afterAll(() => server?.close());

  /** Chat streams open per context, for the contexts that answered `tries` requests. */
  async function openStreamsByContext(tries = 40): Promise<Map<number, number>> {
    const seen = new Map<number, number>();
    for (let i = 0; i < tries && seen.size < contexts; i++) {
      const { openStreams, workerId } = await openStreamsOn(server.url);
      seen.set(workerId, openStreams);
    }
    return seen;
  }

  /** Polls until every context reports no open stream; returns the last counts seen. */
  async function eventuallyNoStreams(): Promise<Map<number, number>> {
    let seen = await openStreamsByContext();
    for (let i = 0; i < 50 && (seen.size < contexts || [...seen.values()].some((count) => count > 0)); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      seen = await openStreamsByContext();
    }
    return seen;
  }

  const noStreams = () => new Map(Array.from({ length: contexts }, (_, i) => [backend === 'reactor' ? 0 : i + 1, 0]));

  it('delivers one post to every open stream, whichever context holds it', async () => {
    const streams: EventStream[] = [];
    const workers = new Set<number>();
    try {
      // Open streams until they sit on two contexts (at least four, at most eight).
      while (streams.length < 4 || (workers.size < contexts && streams.length < 8)) {
        const stream = await openEventStream(`${server.url}/chat/events`);
        streams.push(stream);
        expect(stream.contentType).toMatch(/^text\/event-stream/);
        const ready = await stream.next();
        expect(ready).toEqual({ event: 'ready', data: { workerId: expect.any(Number) } });
        workers.add((ready.data as { workerId: number }).workerId);
      }
      expect(workers.size).toBe(contexts);

      const post = await fetch(`${server.url}/chat`, { method: 'POST', body: JSON.stringify({ name: 'ada', text: 'hello, everyone' }) });
      expect(post.status).toBe(202);
      const { ok, id } = (await post.json()) as { ok: boolean; id: string };
      expect(ok).toBe(true);

      for (const stream of streams) {
        const { event, data } = await stream.next();
        expect(event).toBe('message');
        expect(data).toEqual({ id, name: 'ada', text: 'hello, everyone', at: expect.any(Number), workerId: expect.any(Number) });
      }
    } finally {
      for (const stream of streams) stream.close();
    }
  });

  it('unsubscribes a stream when its client leaves', async () => {
    expect(await eventuallyNoStreams()).toEqual(noStreams());
    const streams = await Promise.all([1, 2, 3].map(() => openEventStream(`${server.url}/chat/events`)));
    try {
      await Promise.all(streams.map((stream) => stream.next()));
      const open = [...(await openStreamsByContext()).values()].reduce((sum, count) => sum + count, 0);
      // The pool sends a cheap request to the thread holding fewer streams, so
      // not every thread can be asked while they differ: count what answers.
      if (backend === 'pool') expect(open).toBeGreaterThanOrEqual(1);
      else expect(open).toBe(3);
    } finally {
      for (const stream of streams) stream.close();
    }
    expect(await eventuallyNoStreams()).toEqual(noStreams());
  });

  it('names the author "anonymous" when no name is given', async () => {
    const stream = await openEventStream(`${server.url}/chat/events`);
    try {
      await stream.next();
      const post = await fetch(`${server.url}/chat`, { method: 'POST', body: JSON.stringify({ text: 'hi' }) });
      expect(post.status).toBe(202);
      expect((await stream.next()).data).toMatchObject({ name: 'anonymous', text: 'hi' });
    } finally {
      stream.close();
    }
  });

  it.each([
    ['not JSON', '{nope', 'the body is not JSON'],
    ['an array', '[]', 'POST /chat needs a JSON body'],
    ['no text', '{"name":"ada"}', '"text" must be a string of 1 to 500 characters'],
    ['empty text', '{"text":""}', '"text" must be a string of 1 to 500 characters'],
    ['blank text', '{"text":"   "}', '"text" must be a string of 1 to 500 characters'],
    ['text too long', JSON.stringify({ text: 'x'.repeat(501) }), '"text" must be a string of 1 to 500 characters'],
    ['text not a string', '{"text":5}', '"text" must be a string'],
    ['name too long', JSON.stringify({ name: 'n'.repeat(41), text: 'hi' }), '"name" must be a string of at most 40 characters'],
    ['name not a string', '{"name":1,"text":"hi"}', '"name" must be a string'],
  ])('refuses a post with %s: 400', async (_case, body, message) => {
    const response = await fetch(`${server.url}/chat`, { method: 'POST', body });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain(message);
  });

  it('accepts text of exactly 500 characters, emoji counted as one', async () => {
    const response = await fetch(`${server.url}/chat`, { method: 'POST', body: JSON.stringify({ name: '🙂'.repeat(40), text: '🙂'.repeat(500) }) });
    expect(response.status).toBe(202);
  });

  it('refuses other methods and still serves', async () => {
    expect((await fetch(`${server.url}/chat`, { method: 'PUT', body: '{}' })).status).toBe(405);
    expect((await fetch(`${server.url}/chat/events`, { method: 'POST', body: '{}' })).status).toBe(405);
    expect((await fetch(`${server.url}/hello`)).status).toBe(200);
  });
});
