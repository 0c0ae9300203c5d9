import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { rawExchange, statuses } from './helpers.js';
import { conformanceLimits, type SuiteEnv } from './index.js';

/** One GET on a fresh connection: status, Retry-After and body. */
async function probe(url: string): Promise<{ status: number; retryAfter: string | null; body: string }> {
  const response = await fetch(url, { headers: { connection: 'close' } });
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: await response.text() };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Started = Awaited<ReturnType<SuiteEnv['start']>>['server'];

/**
 * Requests that hang on every context, so that each is at `maxInFlight: 1`.
 * Two per context; where the kernel picks the context by a hash of the
 * connection (`sharedPort`), more on fresh connections until every context
 * reports one in flight.
 */
async function hangOnEveryContext(env: SuiteEnv, server: Started, tag: string): Promise<Array<Promise<number | 'closed'>>> {
  const hanging: Array<Promise<number | 'closed'>> = [];
  const hang = () =>
    hanging.push(
      fetch(`${server.url}/hang?id=${tag}${hanging.length}`).then(
        (r) => r.status,
        () => 'closed' as const,
      ),
    );
  for (let i = 0; i < env.options.capabilities.contexts * 2; i++) hang();
  await sleep(300);
  const idle = async () => ((await server.stats()) as { workers?: Array<{ inFlight: number }> }).workers?.some((w) => w.inFlight === 0) ?? false;
  for (let i = 0; env.options.capabilities.sharedPort && i < 32 && (await idle()); i++) {
    hang();
    await sleep(100);
  }
  return hanging;
}

/** Shedding past the overload limits, which are off unless set: cheap 503s instead of late answers, and health probes always answered. */
export function overloadTests(env: SuiteEnv): void {
  describe('overload', () => {
    it('sheds new requests past limits.maxInFlight with 503 and Retry-After, counts them, and always answers the health path', async () => {
      const { server } = await env.start({ limits: { ...conformanceLimits, maxInFlight: 1 } });
      // Requests in flight on every context (the limit holds per process under cluster).
      const hanging = await hangOnEveryContext(env, server, 'inflight');
      const before = (await server.stats()).rejected;
      const shed = await probe(`${server.url}/text`);
      expect(shed).toMatchObject({ status: 503, retryAfter: '1' });
      expect(await probe(`${server.url}/healthz?verbose=1`)).toMatchObject({ status: 200, body: 'healthy' });
      expect((await server.stats()).rejected).toBeGreaterThan(before);
      await Promise.all(hanging);
      // Once they are over, requests are served again.
      expect(await probe(`${server.url}/text`)).toMatchObject({ status: 200, body: 'hello from switchyard' });
    });

    it('sheds a request whose body it will not read with a 503 that closes the connection', async () => {
      const { server } = await env.start({ limits: { ...conformanceLimits, maxInFlight: 1 } });
      const hanging = await hangOnEveryContext(env, server, 'inflight-body');
      const exchange = await rawExchange(server.port, ['POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nabc']);
      expect(statuses(exchange.text)).toEqual([503]);
      expect(exchange.text.toLowerCase()).toContain('connection: close');
      expect(exchange.closed).toBe(true);
      await Promise.all(hanging);
    });

    if (!env.options.capabilities.interruptsSyncLoop) {
      it('sheds the requests that waited while the event loop was stuck past limits.maxEventLoopDelay, but not the health path', async () => {
        const { server } = await env.start({ limits: { ...conformanceLimits, maxEventLoopDelay: 100 } });
        expect(await probe(`${server.url}/text`)).toMatchObject({ status: 200 });
        const spin = probe(`${server.url}/spin?ms=500`);
        await sleep(150);
        // These arrive while the loop spins: by the time it reads them, they have waited past the limit.
        const [waited, health] = await Promise.all([probe(`${server.url}/text`), probe(`${server.url}/healthz`)]);
        expect((await spin).status).toBe(200);
        expect(waited).toMatchObject({ status: 503, retryAfter: '1' });
        expect(health).toMatchObject({ status: 200, body: 'healthy' });
        await sleep(100);
        expect(await probe(`${server.url}/text`)).toMatchObject({ status: 200, body: 'hello from switchyard' });
        expect((await server.stats()).rejected).toBeGreaterThanOrEqual(1);
      });
    }

    if (env.options.capabilities.contexts === 1) {
      // One loop reads every connection and runs every request; with more contexts, another answers the probe anyway.
      it('reads new connections between long synchronous requests: a health probe does not wait for a pipelined batch', async () => {
        // One read brings all ten; Node would run them back to back inside it, 2 s in which no connection is accepted.
        const count = 10;
        const batch = Array.from({ length: count }, (_, i) => `GET /spin?ms=200&i=${i} HTTP/1.1\r\nHost: t\r\n\r\n`).join('');
        let spinsDone = Infinity;
        const spins = rawExchange(env.server.port, [batch], { until: (text) => statuses(text).length === count, timeoutMs: 10_000 }).then((exchange) => {
          spinsDone = performance.now();
          return statuses(exchange.text);
        });
        await sleep(50);
        const health = await probe(env.url('/healthz'));
        const healthDone = performance.now();
        expect(health).toMatchObject({ status: 200, body: 'healthy' });
        expect(await spins).toEqual(Array(count).fill(200));
        expect(healthDone).toBeLessThan(spinsDone);
      });
    }

    it('does not run requests whose client closed before their turn', async () => {
      const tag = `gone${Date.now()}`;
      // A long request first, so that the client closes while it runs; the
      // others are long too, so that any begun beside it are still running
      // when the close is read, however loaded the machine.
      const requests = [`/spin?ms=600&id=${tag}-first`, ...Array.from({ length: 6 }, (_, i) => `/spin?ms=1000&id=${tag}-${i}`)];
      const socket = connect(env.server.port, '127.0.0.1', () => socket.write(requests.map((path) => `GET ${path} HTTP/1.1\r\nHost: t\r\n\r\n`).join('')));
      socket.on('error', () => {});
      await sleep(100);
      socket.destroy();
      // Run as Node reads them, one after another inside one read, the second would have begun by now.
      await sleep(1_500);
      const started = env.log.lines().filter((line) => line.startsWith(`spinning ${tag}-`) && !line.endsWith('-first'));
      // None where one loop runs this connection's requests in turn (reactor,
      // cluster, threads). Where threads run them side by side (the pool),
      // those that began beside the first, and on a loaded machine a round
      // more that began before the close reached the threads.
      const { contexts, spreadsPipelined } = env.options.capabilities;
      expect(started.length).toBeLessThanOrEqual(spreadsPipelined ? 2 * (contexts - 1) : 0);
      expect(await probe(env.url('/text'))).toMatchObject({ status: 200 });
    });

    it('sheds nothing by default, however busy', async () => {
      const hanging = Array.from({ length: 4 }, (_, i) => fetch(env.url(`/sleep?ms=300&i=${i}`)).then((r) => r.status));
      await sleep(50);
      expect((await probe(env.url('/text'))).status).toBe(200);
      expect(await Promise.all(hanging)).toEqual([200, 200, 200, 200]);
    });
  });
}
