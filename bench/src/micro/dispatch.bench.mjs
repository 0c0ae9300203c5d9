/**
 * Pool dispatch: what it costs to get a request to a pool thread and its
 * response back.
 *
 * The pool's message code (messages.ts, outbox.ts, dispatch.ts) is not
 * exported, so this measures it two ways through what is public:
 *
 * 1. The crossing alone: request messages shaped like the pool's (method,
 *    url, a browser's 15 raw headers, no body) to a real worker thread and
 *    response messages back, 64 in flight, sent one postMessage per message,
 *    as one array per turn (what the pool's Outbox does), and as piscina
 *    `run()` tasks (what the pool would pay if each request were a task);
 *    plus one message at a time, the latency of a wake-up each way.
 * 2. The whole trip as the pool really does it: `serve()` from
 *    @switchyard/pool (one thread) against @switchyard/reactor, the same app,
 *    64 keep-alive requests in flight over loopback from this process. The
 *    difference per request is the pool's dispatch, both threads' sides of
 *    it, on top of the same parsing and writing; and one request at a time,
 *    where the hop's latency shows.
 *
 * Standalone: node src/micro/index.mjs dispatch
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { serve as servePool } from '@switchyard/pool';
import { serve as serveReactor } from '@switchyard/reactor';
import { BROWSER_RAW_HEADERS } from './fixtures.mjs';
import { inFlight, startAll } from './loopback.mjs';

/** Requests in flight per call: enough that the pool's batching has something to batch. */
export const IN_FLIGHT = 64;
const ECHO = new URL('./echo-thread.mjs', import.meta.url);
const APP = new URL('../apps/hello-fast.mjs', import.meta.url);

// piscina is the pool's dependency, not the bench's: load the pool's copy.
async function loadPiscina() {
  const require = createRequire(import.meta.resolve('@switchyard/pool'));
  const module = await import(pathToFileURL(require.resolve('piscina')).href);
  return module.Piscina ?? module.default.Piscina;
}

function requestMessage(id) {
  return { t: 1, id, seq: id, method: 'GET', url: 'http://localhost:3000/', headers: BROWSER_RAW_HEADERS, body: null };
}

/** A plain worker that echoes; `send(k, batched)` resolves once `k` answers came back. */
async function echoWorker() {
  const worker = new Worker(ECHO, { workerData: { echo: true } });
  await new Promise((resolve, reject) => worker.once('online', resolve).once('error', reject));
  let left = 0;
  let done;
  worker.on('message', (message) => {
    left -= Array.isArray(message) ? message.length : 1;
    if (left === 0) done(message);
  });
  const send = (k, batch) => {
    left = k;
    const answered = new Promise((resolve) => (done = resolve));
    if (batch) {
      const messages = [];
      for (let i = 0; i < k; i++) messages.push(requestMessage(i));
      worker.postMessage(messages);
    } else for (let i = 0; i < k; i++) worker.postMessage(requestMessage(i));
    return answered;
  };
  return { send, close: () => worker.terminate() };
}

const isResponse = (message) => {
  const one = Array.isArray(message) ? message[0] : message;
  return one?.t === 12 && one.body === 'hello' ? undefined : `answered ${JSON.stringify(one).slice(0, 60)}`;
};
const isHello = (body) => (body === 'Hello, World!' ? undefined : `answered ${JSON.stringify(body)}`);

async function load() {
  const Piscina = await loadPiscina();
  const echo = await echoWorker();
  // One thread with room for every request at once, like a pool thread.
  const piscina = new Piscina({ filename: ECHO.href, minThreads: 1, maxThreads: 1, concurrentTasksPerWorker: IN_FLIGHT });
  const threads = async () => {
    await piscina.destroy();
    await echo.close();
  };
  const options = { app: APP, port: 0, host: '127.0.0.1', logger: { ...console, info() {} }, limits: { maxQueue: 100_000 } };
  let started;
  try {
    started = await startAll([() => serveReactor(options), () => servePool({ ...options, workers: 1 })]);
  } catch (error) {
    await threads();
    throw error;
  }
  const [reactor, pool] = started.servers.map((server) => inFlight(server.url, IN_FLIGHT));
  const [reactorOne, poolOne] = started.servers.map((server) => inFlight(server.url, 1));
  const runAll = () => Promise.all(Array.from({ length: IN_FLIGHT }, (_, i) => piscina.run(requestMessage(i))));
  const crossing = { async: true, perCall: IN_FLIGHT, minBatch: 1, verify: isResponse };
  const http = { async: true, perCall: IN_FLIGHT, minBatch: 1, verify: isHello };
  const groups = [
    {
      name: `a request message to a thread and back (${IN_FLIGHT} in flight)`,
      tasks: [
        { name: 'postMessage, one per message each way', fn: () => echo.send(IN_FLIGHT, false), ...crossing },
        { name: "one array per turn each way (the pool's Outbox)", fn: () => echo.send(IN_FLIGHT, true), ...crossing },
        { name: 'piscina run() per message', fn: runAll, ...crossing },
        { name: 'postMessage, one in flight (wake-up latency)', async: true, fn: () => echo.send(1, false), verify: isResponse },
      ],
    },
    {
      name: `a request through the server, loopback HTTP (${IN_FLIGHT} in flight, keep-alive)`,
      note: "Same app (`hello-fast.mjs`), same client in this process; the pool on one thread. Throughput: the pool's thread runs the app beside the main thread, so on two cores it can win back its dispatch cost.",
      tasks: [
        { name: 'reactor serve()', fn: reactor, ...http },
        { name: 'pool serve(), 1 thread', fn: pool, ...http },
      ],
    },
    {
      name: 'a request through the server, loopback HTTP (one at a time)',
      note: "Latency: nothing overlaps, so the pool's extra hop (two thread wake-ups) shows in full.",
      tasks: [
        { name: 'reactor serve()', fn: reactorOne, ...http, perCall: 1 },
        { name: 'pool serve(), 1 thread', fn: poolOne, ...http, perCall: 1 },
      ],
    },
  ];
  return {
    groups,
    close: async () => {
      for (const client of [reactor, pool, reactorOne, poolOne]) client.close();
      await started.close();
      await threads();
    },
  };
}

export const suite = { name: 'dispatch', title: 'Pool dispatch', load };
