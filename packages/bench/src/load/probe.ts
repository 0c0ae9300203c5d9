/** The runner's side of the probe client (probe-client.ts). */
import { fileURLToPath } from 'node:url';
import { spawnNode, stopChild } from '../proc/spawn.js';
import type { ProbeSample, RequestSpec } from '../types.js';

const ENTRY = fileURLToPath(new URL('./probe-client.js', import.meta.url));
/** Milliseconds between a probe's answer and its next request (closed loop) or between sends (open loop): light next to any load. */
export const PROBE_EVERY_MS = 10;

export interface Probe {
  /** Stops probing and returns what it saw. */
  stop(): Promise<ProbeSample>;
  /** What it saw so far, while it goes on (open loop: without the requests still waiting). */
  peek(): Promise<ProbeSample>;
  /** Every latency the last `stop()` summarised, in milliseconds, sorted (open loop: with the ages of unanswered requests). */
  latencies(): number[];
  /** Ends the probe's process (after `stop`, or to abandon it). */
  close(): Promise<void>;
  kill(): void;
}

export interface ProbeOptions {
  /** Send on a fixed schedule and time from it (see `ProbeSpec.openLoop`). Default false. */
  openLoop?: boolean;
}

const figure = (value: unknown) => (typeof value === 'number' ? value : Number.NaN);

/** Starts probing `request` on `url` every `everyMs`; resolves once the first request is on its way. */
export async function startProbe(url: string, request: RequestSpec, everyMs: number, timeoutMs: number, options: ProbeOptions = {}): Promise<Probe> {
  const body = request.body === undefined ? undefined : Buffer.from(request.body).toString('utf8');
  const openLoop = options.openLoop === true;
  const config = { url, request: { ...request, body }, everyMs, timeoutMs, openLoop };
  const handle = await spawnNode(ENTRY, [JSON.stringify(config)], { label: 'probe client' });
  const ask = <T>(type: string, answer: string) =>
    new Promise<T>((resolve, reject) => {
      const onMessage = (reply: T & { type?: string }) => {
        if (reply?.type !== answer) return;
        handle.child.off('message', onMessage);
        resolve(reply);
      };
      handle.child.on('message', onMessage);
      handle.child.send({ type }, (error) => error && reject(error));
      void handle.exited.then(() => reject(new Error('the probe client exited')));
    });
  await ask('start', 'started');
  let latencies: number[] = [];
  const sampleOf = (reply: Record<string, unknown>): ProbeSample => {
    const sample: ProbeSample = {
      requests: figure(reply.requests),
      errors: figure(reply.errors),
      p50Ms: figure(reply.p50Ms),
      p99Ms: figure(reply.p99Ms),
      maxMs: figure(reply.maxMs),
    };
    if (openLoop)
      Object.assign(sample, { sent: figure(reply.sent), unanswered: figure(reply.unanswered), oldestUnansweredMs: figure(reply.oldestUnansweredMs) });
    return sample;
  };
  return {
    async stop() {
      const reply = await ask<Record<string, unknown>>('stop', 'result');
      latencies = Array.isArray(reply.latencies) ? (reply.latencies as number[]) : [];
      return sampleOf(reply);
    },
    peek: async () => sampleOf(await ask<Record<string, unknown>>('peek', 'peeked')),
    latencies: () => latencies,
    close: () => stopChild(handle, 3_000),
    kill: () => void handle.child.kill('SIGKILL'),
  };
}
