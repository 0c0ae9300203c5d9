/**
 * The probe: a light request sent every few milliseconds while the load
 * runs, timing each answer, i.e. what another client of the server sees
 * beside the load (probe-loops.ts: closed or open loop). It runs in its own
 * process because autocannon keeps the runner's event loop busy, which
 * would add the runner's own delays to every latency. Commands arrive over
 * IPC:
 *   { type: 'start' }  start probing, answer 'started'
 *   { type: 'peek' }   answer 'peeked' with the figures so far, going on
 *   { type: 'stop' }   stop, answer 'result' with the figures and the sorted latencies
 *   { type: 'close' }  exit
 */
import type { ProbeSample, RequestSpec } from '../types.js';
import { closedLoop, openLoop, type Loop, type Recorded } from './probe-loops.js';
import { createSender } from './probe-request.js';

interface Config {
  url: string;
  request: RequestSpec;
  everyMs: number;
  timeoutMs: number;
  openLoop: boolean;
}

/** Connections an open loop may hold at once; more requests wait in the client, still timed from their schedule. */
const OPEN_LOOP_SOCKETS = 256;
/**
 * Connections an open loop opens before its schedule starts: enough for
 * 100 requests a second answered within 640 ms without a new connection.
 * A busy event loop accepts about one connection per turn, so a probe that
 * had to connect for each request would time the accept queue, not the
 * request; beyond these it still connects as it needs to.
 */
const OPEN_LOOP_WARM = 64;

const config = JSON.parse(process.argv[2] ?? '{}') as Config;
const sender = createSender(config.url, config.request, config.timeoutMs, config.openLoop ? OPEN_LOOP_SOCKETS : 1);
let loop: Loop | undefined;

/** The latency at quantile `q` (nearest rank). */
function at(sorted: number[], q: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]! : Number.NaN;
}

function result(recorded: Recorded, sorted: number[]): ProbeSample {
  return {
    requests: recorded.latencies.length - recorded.unanswered,
    errors: recorded.errors,
    p50Ms: at(sorted, 0.5),
    p99Ms: at(sorted, 0.99),
    maxMs: sorted.length ? sorted.at(-1)! : Number.NaN,
    ...(config.openLoop && { sent: recorded.sent, unanswered: recorded.unanswered, oldestUnansweredMs: recorded.oldestUnanswered }),
  };
}

process.on('message', async (message: { type?: string }) => {
  if (message?.type === 'start') {
    if (config.openLoop) await sender.warm(OPEN_LOOP_WARM);
    loop = config.openLoop ? openLoop(sender, config.everyMs) : closedLoop(sender, config.everyMs);
    process.send?.({ type: 'started' });
  } else if (message?.type === 'peek') {
    const recorded = loop?.peek() ?? { latencies: [], errors: 0, sent: 0, unanswered: 0, oldestUnanswered: 0 };
    const sorted = [...recorded.latencies].sort((a, b) => a - b);
    process.send?.({ type: 'peeked', ...JSON.parse(JSON.stringify(result(recorded, sorted))) });
  } else if (message?.type === 'stop') {
    const recorded = loop ? await loop.stop() : { latencies: [], errors: 0, sent: 0, unanswered: 0, oldestUnanswered: 0 };
    const sorted = [...recorded.latencies].sort((a, b) => a - b);
    // JSON has no NaN: send figures that do not exist as null.
    process.send?.({ type: 'result', ...JSON.parse(JSON.stringify(result(recorded, sorted))), latencies: sorted });
  } else if (message?.type === 'close') {
    sender.close();
    process.exit(0);
  }
});
process.on('disconnect', () => process.exit(0));
process.stdout.write(`${JSON.stringify({ pid: process.pid })}\n`);
