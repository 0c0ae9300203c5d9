import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startPool, tempDir, waitFor } from './helpers.js';

describe('pool: the bounded queue', () => {
  let server: Awaited<ReturnType<typeof startPool>> | undefined;
  let dir: string | undefined;

  afterEach(async () => {
    await server?.close();
    server = undefined;
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  /** One thread held by `/busy` for `busyMs`, taking one request at a time, and a queue of one, filled. */
  async function fillQueue(busyMs: number): Promise<{ running: Promise<Response>; queued: Promise<Response> }> {
    server = await startPool({ workers: 1, limits: { maxQueue: 1 }, pool: { concurrentTasksPerWorker: 1 } });
    const running = fetch(`${server.url}/busy?ms=${busyMs}`);
    await waitFor(async () => (await server!.stats()).workers[0]!.inFlight === 1, 5000, 'the first request to run');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const queued = fetch(`${server.url}/whoami`);
    await waitFor(async () => (await server!.stats()).queued === 1, 5000, 'the second request to queue');
    return { running, queued };
  }

  it('refuses with 503 and Retry-After when the queue is full, counts it, and reads nothing more from that connection until Retry-After has passed', async () => {
    const { running, queued } = await fillQueue(1500);
    const client = await KeptAliveClient.connect(server!.url);
    const refused = await client.ask('/whoami');
    expect(refused.head).toMatch(/^HTTP\/1\.1 503 /);
    expect(refused.head).toMatch(/\r\nretry-after: 1\r\n/i);
    // Kept alive: a client that asks again at once waits on this connection, instead of reconnecting.
    expect(refused.head).not.toMatch(/\r\nconnection: close\r\n/i);
    const stats = await server!.stats();
    expect(stats.rejected).toBe(1);
    expect(stats.pool.rejected).toBe(1);
    expect(stats.pool.queued).toBe(1);

    const again = await client.ask('/whoami');
    // Not read before Retry-After (1 s) has passed; by then the queue is still full, so refused again.
    expect(again.at - refused.at).toBeGreaterThanOrEqual(950);
    expect(again.head).toMatch(/^HTTP\/1\.1 503 /);
    client.close();

    expect((await running).status).toBe(200);
    expect((await queued).status).toBe(200);
    expect((await server!.stats()).queued).toBe(0);
  });

  it('drops unrun a request sent on a held-off connection whose client closed before the hold ended', async () => {
    const { running, queued } = await fillQueue(500);
    const client = await KeptAliveClient.connect(server!.url);
    expect((await client.ask('/whoami')).head).toMatch(/^HTTP\/1\.1 503 /);

    // Asked again and gone: both wait, unread, until the hold ends, by when the thread is free and the queue empty.
    client.send('/whoami');
    client.end();
    await client.closed;
    expect((await running).status).toBe(200);
    expect((await queued).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 100));
    // The thread ran /busy and the queued /whoami, not the abandoned request.
    expect((await server!.stats()).workers[0]!.requests).toBe(2);
  });

  it("drops unrun a request that waited in a busy thread's port while its client left", async () => {
    dir = tempDir();
    // Threads copy the environment when they start.
    const saved = process.env.SWITCHYARD_POOL_TEST_DIR;
    process.env.SWITCHYARD_POOL_TEST_DIR = dir;
    try {
      server = await startPool({ workers: 1 });
    } finally {
      if (saved === undefined) delete process.env.SWITCHYARD_POOL_TEST_DIR;
      else process.env.SWITCHYARD_POOL_TEST_DIR = saved;
    }
    // Learnt as expensive (250 ms): a thread running one takes the next into its port, until it is overdue (505 ms).
    for (let i = 0; i < 4; i++) await (await fetch(`${server.url}/busy?ms=250`)).text();
    const running = fetch(`${server.url}/busy?ms=1500`);
    await waitFor(async () => (await server!.stats()).workers[0]!.inFlight === 1, 5000, 'the long request to run');
    const gone = connect(Number(new URL(server.url).port), '127.0.0.1');
    gone.on('error', () => {});
    gone.write('GET /busy?ms=1000&id=gone HTTP/1.1\r\nHost: t\r\n\r\n');
    const placed = await waitFor(async () => {
      const stats = await server!.stats();
      return (stats.workers[0]!.inFlight === 2 || stats.queued === 1) && stats;
    });
    // In the thread's port behind the running request, not on the main thread's queue.
    expect(placed ? placed.queued : undefined).toBe(0);
    // Gone long before the thread is free: its abort waits in the port too, behind the request.
    gone.destroy();
    expect((await running).status).toBe(200);
    // The thread has let go of both: answered the first, and dropped the second (or, run, answered it).
    await waitFor(async () => (await server!.stats()).workers[0]!.inFlight === 0, 5000, 'the thread to hold nothing');
    const started = readFileSync(join(dir, 'lifecycle.log'), 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('busy '));
    expect(started).toEqual([]);
  });

  it('lets a route never seen past a flood whose own route was learnt while it waited', async () => {
    // One thread taking one request at a time: the flood waits on the main thread, all of it of unknown cost when it came.
    server = await startPool({ workers: 1, pool: { concurrentTasksPerWorker: 1 } });
    const FLOOD = 12;
    let busyDone = 0;
    const flood = Array.from({ length: FLOOD }, () =>
      fetch(`${server!.url}/busy?ms=200`).then(async (response) => {
        await response.text();
        busyDone++;
      }),
    );
    // /busy is learnt (expensive) once the thread's first answers are past their cold calls.
    await waitFor(() => busyDone >= 5, 15_000, 'five busy answers');
    const whoami = await fetch(`${server.url}/whoami`);
    expect(whoami.status).toBe(200);
    await whoami.text();
    // Behind what the thread holds already (one running, at most one in its port), not behind the rest of the flood.
    expect(busyDone).toBeLessThanOrEqual(8);
    await Promise.all(flood);
  });

  it('when the queue is full, lets a route never seen take the place of the newest expensive request waiting', async () => {
    // One thread taking one request at a time, room for two waiting.
    server = await startPool({ workers: 1, limits: { maxQueue: 2 }, pool: { concurrentTasksPerWorker: 1 } });
    // /busy is learnt expensive: its answers past the thread's cold calls.
    for (let i = 0; i < 5; i++) await (await fetch(`${server.url}/busy?ms=5`)).text();
    // Held until released, so a stalled test process cannot let it end and drain the queue early.
    dir = tempDir();
    const release = join(dir, 'release');
    const running = settled(fetch(`${server.url}/busy?file=${encodeURIComponent(release)}`));
    await waitFor(async () => (await server!.stats()).workers[0]!.inFlight === 1, 5000, 'the first request to run');
    // Expensive requests, one at a time, until two wait on the main thread. While the running one is not yet
    // overdue (on a busy machine, when the next comes within a few milliseconds), the first goes to the thread's
    // port instead: so it takes two or three.
    const waiting: Array<Promise<Response>> = [];
    let seen = await server.stats();
    while (seen.queued < 2) {
      expect(waiting.length).toBeLessThan(3);
      const placedBefore = seen.queued + seen.workers[0]!.inFlight;
      waiting.push(settled(fetch(`${server.url}/busy?ms=10&n=${waiting.length + 1}`)));
      // waitFor returns only once the check gives the stats.
      seen = (await waitFor(
        async () => {
          const now = await server!.stats();
          return now.queued + now.workers[0]!.inFlight > placedBefore ? now : undefined;
        },
        5000,
        `expensive request ${waiting.length} to be placed`,
      ))!;
    }
    const newer = waiting.pop()!;

    // Before, the newcomer was refused; now the newest expensive request is, and the newcomer waits in its place.
    const whoami = settled(fetch(`${server.url}/whoami`));
    const displaced = await newer;
    expect(displaced.status).toBe(503);
    expect(displaced.headers.get('retry-after')).toBe('1');
    await displaced.text();
    // An expensive newcomer ranks with the expensive one still waiting: it is refused itself.
    const refused = await fetch(`${server.url}/busy?ms=10&n=3`);
    expect(refused.status).toBe(503);
    await refused.text();
    writeFileSync(release, '');
    expect((await whoami).status).toBe(200);
    for (const older of waiting) expect((await older).status).toBe(200);
    expect((await running).status).toBe(200);
    const stats = await server.stats();
    expect(stats.rejected).toBe(2);
    expect(stats.queued).toBe(0);
  });

  it('with maxQueue 0, refuses whenever no thread can take the request', async () => {
    server = await startPool({ workers: 1, limits: { maxQueue: 0 }, pool: { concurrentTasksPerWorker: 1 } });
    const running = fetch(`${server.url}/busy?ms=1000`);
    await waitFor(async () => (await server!.stats()).workers[0]!.inFlight === 1, 5000, 'the first request to run');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await fetch(`${server.url}/whoami`)).status).toBe(503);
    expect((await running).status).toBe(200);
    expect((await fetch(`${server.url}/whoami`)).status).toBe(200);
  });

  it('lets async handlers overlap on one thread past concurrentTasksPerWorker while its loop moves: an awaiting handler holds no CPU', async () => {
    // The queue has room: on a loaded machine the thread's beat can go stale for a moment, and a request
    // then waits for it instead of being refused. A strict cap would leave requests 4..8 queued for good.
    server = await startPool({ workers: 1, limits: { maxQueue: 16 }, pool: { concurrentTasksPerWorker: 3 } });
    dir = tempDir();
    const release = join(dir, 'release');
    const hold = `${server.url}/hold?file=${encodeURIComponent(release)}`;
    const held: Array<Promise<Response>> = [];
    for (let i = 0; i < 8; i++) {
      held.push(fetch(hold));
      // Each starts (and so stops counting) before the next comes.
      await waitFor(async () => (await server!.stats()).workers[0]!.inFlight === i + 1, 5000, `request ${i + 1} to run`);
    }
    const stats = await server.stats();
    expect(stats.rejected).toBe(0);
    expect(stats.queued).toBe(0);
    writeFileSync(release, '');
    for (const response of await Promise.all(held)) expect(response.status).toBe(200);
  });

  it('by default lets one thread hold hundreds of waiting handlers, as an event loop would', async () => {
    // An I/O-bound app at high concurrency must not be capped by the pool (C10K in small).
    server = await startPool({ workers: 1 });
    dir = tempDir();
    const release = join(dir, 'release');
    const hold = `${server.url}/hold?file=${encodeURIComponent(release)}`;
    const held = Array.from({ length: 300 }, () => fetch(hold));
    await waitFor(
      async () => {
        const stats = await server!.stats();
        return stats.workers[0]!.inFlight === 300 && stats.queued === 0;
      },
      10_000,
      'all 300 running on the one thread',
    );
    writeFileSync(release, '');
    for (const response of await Promise.all(held)) expect(response.status).toBe(200);
  });

  it('reports per-thread and pool figures in stats()', async () => {
    server = await startPool();
    for (let i = 0; i < 10; i++) await (await fetch(`${server.url}/whoami`)).text();
    const stats = await server.stats();
    expect(stats).toMatchObject({ backend: 'pool', requests: 10, inFlight: 0, queued: 0, rejected: 0 });
    expect(stats.pool).toMatchObject({ threads: 2, queued: 0, rejected: 0 });
    expect(stats.eventLoop.utilization).toBeGreaterThanOrEqual(0);
    expect(stats.workers.map((w) => w.id)).toEqual([1, 2]);
    expect(stats.workers.reduce((sum, w) => sum + w.tasks, 0)).toBe(10);
    for (const w of stats.workers) {
      expect(typeof w.threadId).toBe('number');
      expect(w.utilization).toBeGreaterThanOrEqual(0);
      expect(w.utilization).toBeLessThanOrEqual(1);
      for (const key of ['runP50Ms', 'runP99Ms', 'waitP50Ms', 'waitP99Ms'] as const) expect(w[key]).toBeGreaterThanOrEqual(0);
    }
    const busy = stats.workers.find((w) => w.tasks > 0)!;
    expect(busy.runP99Ms).toBeGreaterThan(0);
    expect(busy.runP99Ms).toBeGreaterThanOrEqual(busy.runP50Ms);
  });
});

/** The same promise, marked handled: if the test fails before awaiting it, closing the server does not also report it. */
function settled<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => {});
  return promise;
}

/** A raw HTTP/1.1 client on one kept-alive connection: when each answer's head arrived. */
class KeptAliveClient {
  readonly #socket: Socket;
  readonly #host: string;
  #buffered = '';
  #waiting: ((answer: { head: string; at: number }) => void) | undefined;
  readonly closed: Promise<void>;

  private constructor(socket: Socket, host: string) {
    this.#socket = socket;
    this.#host = host;
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.setEncoding('latin1');
    socket.on('data', (text: string) => {
      this.#buffered += text;
      const end = this.#buffered.indexOf('\r\n\r\n');
      if (end === -1 || !this.#waiting) return;
      const head = this.#buffered.slice(0, end + 2);
      const length = Number(/\r\ncontent-length: (\d+)/i.exec(head)?.[1] ?? 0);
      if (this.#buffered.length < end + 4 + length) return;
      this.#buffered = this.#buffered.slice(end + 4 + length);
      const resolve = this.#waiting;
      this.#waiting = undefined;
      resolve({ head, at: performance.now() });
    });
  }

  static async connect(url: string): Promise<KeptAliveClient> {
    const { hostname, port } = new URL(url);
    const socket = connect(Number(port), hostname);
    await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    return new KeptAliveClient(socket, `${hostname}:${port}`);
  }

  send(path: string): void {
    this.#socket.write(`GET ${path} HTTP/1.1\r\nHost: ${this.#host}\r\n\r\n`);
  }

  ask(path: string): Promise<{ head: string; at: number }> {
    const answer = new Promise<{ head: string; at: number }>((resolve) => (this.#waiting = resolve));
    this.send(path);
    return answer;
  }

  /** Half-closes, as a client that gives up does. */
  end(): void {
    this.#socket.end();
  }

  close(): void {
    this.#socket.destroy();
  }
}
