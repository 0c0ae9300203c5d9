/**
 * Walks the app's own route table (not a list copied here) against a running
 * demo: every method a route takes works, every other gets 405 with an
 * `Allow` that names exactly the methods that work, and the README's route
 * table says the same.
 */
import { readFile } from 'node:fs/promises';
import type { RunningServer } from '@switchyard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Route } from '../src/route.js';
import { routeTable } from '../src/route-table.js';
import { backends, startDemo } from './support/start-demo.js';

/** Every method a test sends; those a route does not take must get 405. */
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/** What a route that takes a body needs to answer 2xx. A route added without an entry here fails its test, by name. */
const BODIES: Record<string, string> = {
  '/chat': JSON.stringify({ name: 'walker', text: 'hello from the route walk' }),
  '/echo': JSON.stringify({ walked: true }),
  '/upload': 'some bytes to hash',
};

/** Routes whose methods answer a plain request (what `fetch` sends) with this status, not a 2xx: `/chat/ws` takes only WebSocket handshakes. */
const STATUSES: Record<string, number> = {
  '/chat/ws': 426,
};

/** The methods a route should answer: its own, and HEAD wherever GET is (worked out here, not by the app's code). */
function expectedMethods(route: Route): Set<string> {
  const methods = new Set<string>(route.methods);
  if (methods.has('GET')) methods.add('HEAD');
  return methods;
}

const allowSet = (header: string | null) =>
  new Set(
    (header ?? '')
      .split(',')
      .map((method) => method.trim())
      .filter(Boolean),
  );

describe.each(backends)('every route of the table under %s', (backend) => {
  let server: RunningServer;
  beforeAll(async () => {
    // A long grace period: a stream left running after its client (a HEAD of /stats/events, say) would make close() hang and fail the hook.
    server = await startDemo(backend, { graceMs: 60_000 });
  });
  afterAll(() => server?.close());

  /** Sends `method` to the route's example URL; a bounded wait, so a request left hanging fails rather than stalls. */
  async function send(route: Route, method: string): Promise<{ status: number; allow: string | null; type: string | null; body: string | undefined }> {
    const takesBody = method !== 'GET' && method !== 'HEAD';
    if (takesBody && route.methods.includes(method as Route['methods'][number]) && BODIES[route.path] === undefined) {
      throw new Error(`${method} ${route.path}: add a body for it to BODIES`);
    }
    const response = await fetch(`${server.url}${route.example}`, {
      method,
      body: takesBody ? (BODIES[route.path] ?? 'x') : undefined,
      signal: AbortSignal.timeout(10_000),
    });
    const head = { status: response.status, allow: response.headers.get('allow'), type: response.headers.get('content-type') };
    // A HEAD has no body to wait for. Other bodies may never end (event streams, /idle): the head is the answer.
    if (method === 'HEAD') return { ...head, body: await response.text() };
    await response.body?.cancel();
    return { ...head, body: undefined };
  }

  for (const route of routeTable) {
    const methods = expectedMethods(route);
    const others = METHODS.filter((method) => !methods.has(method));

    it(`${route.example} answers ${[...methods].join(', ')}`, async () => {
      const get = methods.has('GET') ? await send(route, 'GET') : undefined;
      for (const method of methods) {
        const answer = method === 'GET' ? get! : await send(route, method);
        const status = STATUSES[route.path];
        if (status !== undefined) expect(answer.status, `${method} ${route.example}`).toBe(status);
        else {
          expect(answer.status, `${method} ${route.example}`).toBeGreaterThanOrEqual(200);
          expect(answer.status, `${method} ${route.example}`).toBeLessThan(300);
        }
        if (method === 'HEAD') {
          // GET's head, without the body.
          expect([answer.status, answer.type], `HEAD ${route.example}`).toEqual([get!.status, get!.type]);
          expect(answer.body, `HEAD ${route.example}`).toBe('');
        }
      }
      // Nothing a HEAD began is still running on a connection the next request may reuse.
      expect((await fetch(`${server.url}/hello`, { signal: AbortSignal.timeout(5_000) })).status).toBe(200);
    });

    it(`${route.example} answers ${others.join(', ')} with 405 and Allow: ${[...methods].join(', ')}`, async () => {
      for (const method of others) {
        const answer = await send(route, method);
        expect(answer.status, `${method} ${route.example}`).toBe(405);
        expect(allowSet(answer.allow), `Allow of ${method} ${route.example}`).toEqual(methods);
      }
    });
  }
});

describe("the README's route table", () => {
  it('lists every route of the app with the methods it takes, in order', async () => {
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
    // Rows such as "| `/chat` | GET, HEAD, POST | ... |": the only table whose first cell is a path.
    const rows = [...readme.matchAll(/^\| `(\/[^`]*)` \| ([A-Z, ]+) \|/gm)].map(([, path, methods]) => ({ path, methods: allowSet(methods!) }));
    expect(rows).toEqual(routeTable.map((route) => ({ path: route.path, methods: expectedMethods(route) })));
  });
});
