/**
 * The probe's two schedules against a real server whose only thread is
 * held once: the closed loop sees the stall in one request, the open loop
 * in every request scheduled during it. Asserted on counts and order only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverSpec, startModel, startProbe, type ModelProcess, type ProbeSample } from '@switchyard/bench';
import { RAW, SEQUENTIAL } from './helpers.js';

const EVERY_MS = 10;
const STALL_MS = 400;
/** A latency this long can only come from waiting on the stall (a loaded machine adds tens of ms, not hundreds). */
const SLOW_MS = STALL_MS * 0.6;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let server: ModelProcess;
beforeAll(async () => {
  server = await startModel(serverSpec('raw', { rawHandler: RAW, sequential: SEQUENTIAL }));
});
afterAll(() => server?.stop());

/** Holds the server's event loop for `ms` (the fixture's /cpu busy-waits). */
const stall = (ms: number) => fetch(`${server.url}/cpu?ms=${ms}`).then((response) => response.text());

async function probeAround(openLoop: boolean, during: () => Promise<unknown>) {
  const before = performance.now();
  const probe = await startProbe(server.url, { path: '/hello' }, EVERY_MS, 10_000, { openLoop });
  const started = performance.now();
  await sleep(150);
  await during();
  const stopping = performance.now();
  const sample = await probe.stop();
  const after = performance.now();
  const latencies = probe.latencies();
  await probe.close();
  return { sample, latencies, slow: latencies.filter((ms) => ms >= SLOW_MS).length, inner: stopping - started, outer: after - before };
}

/** Every request sent is answered, failed or counted unanswered, and each answered or unanswered one has a latency. */
function expectAccounted(sample: ProbeSample, latencies: number[]) {
  expect(sample.sent).toBe(sample.requests + sample.errors + sample.unanswered!);
  expect(latencies).toHaveLength(sample.requests + sample.unanswered!);
  expect([...latencies].sort((a, b) => a - b)).toEqual(latencies);
  if (sample.unanswered) expect(latencies).toContain(sample.oldestUnansweredMs);
  else expect(sample.oldestUnansweredMs).toBe(0);
}

describe('the probe', () => {
  it('closed loop (the default): a stall of the server is one slow sample', async () => {
    const { sample, latencies, slow } = await probeAround(false, async () => {
      await stall(STALL_MS);
      await sleep(150);
    });
    expect(sample.sent).toBeUndefined();
    expect(sample.unanswered).toBeUndefined();
    expect(sample.oldestUnansweredMs).toBeUndefined();
    expect(sample.errors).toBe(0);
    expect(latencies).toHaveLength(sample.requests);
    // The request in flight when the stall began waits for it; nothing is sent meanwhile.
    expect(slow).toBeGreaterThanOrEqual(1);
    expect(slow).toBeLessThanOrEqual(2);
  });

  it('open loop: keeps sending at its rate through the stall, and every request scheduled in it shows the wait', async () => {
    const { sample, latencies, slow, inner, outer } = await probeAround(true, async () => {
      await stall(STALL_MS);
      await sleep(150);
    });
    expectAccounted(sample, latencies);
    expect(sample.errors).toBe(0);
    // Sent on the schedule, whatever the answers did: as many as the time it ran allows.
    expect(sample.sent).toBeGreaterThanOrEqual(Math.floor(inner / EVERY_MS) - 2);
    expect(sample.sent).toBeLessThanOrEqual(Math.ceil(outer / EVERY_MS) + 2);
    // The first 160 ms of the stall alone schedule about 16 requests that wait 240 ms or more.
    expect(slow).toBeGreaterThanOrEqual(5);
  });

  it('open loop: requests still waiting at the end count as unanswered, with their age among the latencies', async () => {
    let stalled: Promise<unknown> = Promise.resolve();
    const { sample, latencies } = await probeAround(true, async () => {
      stalled = stall(2_000);
      await sleep(300);
    });
    await stalled;
    expectAccounted(sample, latencies);
    expect(sample.errors).toBe(0);
    expect(sample.unanswered).toBeGreaterThanOrEqual(5);
    expect(sample.requests).toBeGreaterThan(0);
    // Those scheduled first in the stall had waited longer than most: the median is a lower bound.
    expect(sample.oldestUnansweredMs).toBeGreaterThan(sample.p50Ms);
  });
});
