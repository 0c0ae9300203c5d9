/**
 * The probe: one keep-alive connection sending a light request every few
 * milliseconds while the load runs, timing each answer, i.e. what another
 * client of the server sees beside the load. It runs in its own process
 * because autocannon keeps the runner's event loop busy, which would add
 * the runner's own delays to every latency. Commands arrive over IPC:
 *   { type: 'start' }  start probing, answer 'started'
 *   { type: 'stop' }   stop, answer 'result' with the figures
 *   { type: 'close' }  exit
 */
import { Agent, request as httpRequest } from 'node:http';
import type { ProbeSample, RequestSpec } from '../types.js';

interface Config {
  url: string;
  request: RequestSpec;
  everyMs: number;
  timeoutMs: number;
}

const config = JSON.parse(process.argv[2] ?? '{}') as Config;
const agent = new Agent({ keepAlive: true, maxSockets: 1 });
const body = config.request.body === undefined ? undefined : Buffer.from(config.request.body as string);
const latencies: number[] = [];
let errors = 0;
let running = false;
let loop: Promise<void> = Promise.resolve();

/** Resolves with the status once the whole answer arrived. */
function once(): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${config.url}${config.request.path}`,
      {
        agent,
        method: config.request.method ?? 'GET',
        headers: { ...config.request.headers, ...(body && { 'content-length': String(body.byteLength) }) },
        timeout: config.timeoutMs,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end(body);
  });
}

async function probe(): Promise<void> {
  while (running) {
    const start = performance.now();
    try {
      const status = await once();
      if (status >= 200 && status < 300) latencies.push(performance.now() - start);
      else errors++;
    } catch {
      errors++;
    }
    await new Promise((resolve) => setTimeout(resolve, config.everyMs));
  }
}

/** The latency at quantile `q` (nearest rank). */
function at(sorted: number[], q: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]! : Number.NaN;
}

function result(): ProbeSample {
  const sorted = [...latencies].sort((a, b) => a - b);
  return { requests: sorted.length, errors, p50Ms: at(sorted, 0.5), p99Ms: at(sorted, 0.99), maxMs: sorted.length ? sorted.at(-1)! : Number.NaN };
}

process.on('message', async (message: { type?: string }) => {
  if (message?.type === 'start') {
    running = true;
    loop = probe();
    process.send?.({ type: 'started' });
  } else if (message?.type === 'stop') {
    running = false;
    await loop;
    // JSON has no NaN: send figures that do not exist as null.
    process.send?.({ type: 'result', ...JSON.parse(JSON.stringify(result())) });
  } else if (message?.type === 'close') {
    agent.destroy();
    process.exit(0);
  }
});
process.on('disconnect', () => process.exit(0));
process.stdout.write(`${JSON.stringify({ pid: process.pid })}\n`);
