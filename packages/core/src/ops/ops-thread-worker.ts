/**
 * The metrics port's own thread (ops-thread.ts): answers liveness and
 * readiness from what the serving thread last published, and `/metrics`
 * by asking it. Nothing here waits on the serving thread's event loop but
 * a scrape.
 */
import type { AddressInfo } from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';
import { createOpsServer, RunnerEndpoints, type Scrape } from './endpoints.js';
import { type OpsThreadData, type ToOpsThread, notLive } from './ops-thread-protocol.js';

/**
 * How long a readiness probe waits for the serving thread's own answer
 * before it takes the last one published (at most BEAT_MS old while that
 * thread's loop turns): an idle server answers what it is this instant, a
 * drain that has just begun included; a flooded one still answers at once.
 */
const ASK_MS = 10;

const data = workerData as OpsThreadData;
const port = parentPort!;
const beat = new Int32Array(data.beat);
let notReady = data.notReady ?? undefined;
/** Probes waiting for the serving thread's answer: one question for all of them. */
let asking: Promise<string | undefined> | undefined;
let answered: (() => void) | undefined;
let nextScrape = 1;
const scrapes = new Map<number, { resolve: (scrape: Scrape) => void; reject: (error: Error) => void }>();

function readiness(): Promise<string | undefined> {
  asking ??= new Promise<void>((resolve) => {
    answered = resolve;
    port.postMessage({ t: 'readiness?' });
    setTimeout(resolve, ASK_MS);
  }).then(() => {
    asking = answered = undefined;
    return notReady;
  });
  return asking;
}

port.on('message', (message: ToOpsThread) => {
  if (message.t === 'readiness') {
    notReady = message.notReady ?? undefined;
    answered?.();
  } else {
    const pending = scrapes.get(message.id);
    scrapes.delete(message.id);
    if (message.error === undefined) pending?.resolve({ body: message.body, contentType: message.contentType });
    else pending?.reject(new Error(message.error));
  }
});

const endpoints = new RunnerEndpoints({
  health: data.health,
  metricsPath: '/metrics',
  notReady: readiness,
  notLive: () => notLive(beat, data.since, data.stallMs),
  scrape: (openMetrics) =>
    new Promise<Scrape>((resolve, reject) => {
      const id = nextScrape++;
      scrapes.set(id, { resolve, reject });
      port.postMessage({ t: 'scrape', id, openMetrics });
    }),
  // A failed scrape is logged by the serving thread, with the server's logger.
  logger: { info() {}, warn() {}, error() {} },
});

const server = createOpsServer(endpoints);
server.once('error', (error: NodeJS.ErrnoException) => port.postMessage({ t: 'failed', code: error.code, message: error.message }));
server.listen(data.port, data.host, () => {
  port.postMessage({ t: 'listening', port: (server.address() as AddressInfo).port });
});
