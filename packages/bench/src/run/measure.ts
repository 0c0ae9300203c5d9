/**
 * One timed run of one model in one scenario: the server is checked,
 * warmed up, then timed, with its process tree's CPU time read around the
 * timed part and its memory sampled through it.
 */
import { checkAnswer } from '../check.js';
import { startIdleClient, type IdleClient } from '../load/idle.js';
import { PROBE_EVERY_MS, startProbe, type Probe } from '../load/probe.js';
import type { ModelProcess } from '../server/launch.js';
import type { IdleSample, ProbeSample, Sample, Scenario } from '../types.js';
import { sleep, type RunContext } from './context.js';
import { drain } from './drain.js';
import { WrongAnswer } from './errors.js';
import { startLive, type LiveTicker } from './live.js';
import { scenarioLabel } from './label.js';

/** Steps in which idle connections are added, with memory read after each: the memory curve. */
const IDLE_STEPS = 4;
/** Milliseconds between memory samples during a timed run. */
const RSS_EVERY_MS = 200;

/** Seconds before a request of this scenario counts as timed out. */
const timeoutOf = (ctx: RunContext, scenario: Scenario) => scenario.timeout ?? ctx.options.timeout;

/** With `drain`, waits until the server has run what the load left behind (see drain.ts). */
async function settle(ctx: RunContext, proc: ModelProcess, scenario: Scenario, after: string): Promise<void> {
  if (!scenario.drain) return;
  ctx.progress.phase(`draining after the ${after}`);
  const { idle, waitedMs } = await drain(proc, timeoutOf(ctx, scenario) * 1000);
  const seconds = (waitedMs / 1000).toFixed(1);
  if (!idle) ctx.progress.log(`  ${scenarioLabel(scenario)} ${proc.model}: still busy ${seconds} s after the ${after}; going on`);
  else if (waitedMs > 1000) ctx.progress.log(`  ${scenarioLabel(scenario)} ${proc.model}: ran ${seconds} s of work the ${after} left behind`);
}

async function checkServer(ctx: RunContext, proc: ModelProcess, scenario: Scenario): Promise<void> {
  const timeoutMs = timeoutOf(ctx, scenario) * 1000;
  const problems = await checkAnswer(proc.url, scenario.request, scenario.expect, timeoutMs);
  if (scenario.kind === 'idle' && (scenario.idle.heldWhen ?? 'head') === 'head') {
    const expect = scenario.idle.expect ?? { stream: true };
    const idle = await checkAnswer(proc.url, scenario.idle.request, { stream: true, ...expect }, timeoutMs);
    problems.push(...idle.map((problem) => `idle route: ${problem}`));
  }
  if (problems.length) throw new WrongAnswer(problems);
}

async function holdIdle(
  ctx: RunContext,
  proc: ModelProcess,
  scenario: Scenario & { kind: 'idle' },
  client: IdleClient,
): Promise<Omit<IdleSample, 'heldAfter'>> {
  const requested = scenario.idle.count ?? ctx.options.idleConnections;
  const before = await proc.usage();
  const curve = [{ connections: 0, rssBytes: before.rssBytes }];
  let counts = { held: 0, failed: 0 };
  for (let step = 1; step <= IDLE_STEPS; step++) {
    const target = Math.round((requested * step) / IDLE_STEPS);
    ctx.progress.phase(`opening idle connections ${target}/${requested}`);
    counts = await client.openTo(target);
    // Let the server finish the work each connection caused before reading memory.
    await sleep(200);
    curve.push({ connections: counts.held, rssBytes: (await proc.usage()).rssBytes });
    // A server that holds few of them (one connection at a time) will not hold more: stop asking.
    if (counts.held < target / 2) break;
  }
  const rssAfterBytes = curve.at(-1)!.rssBytes;
  return {
    requested,
    held: counts.held,
    failed: counts.failed,
    rssBeforeBytes: before.rssBytes,
    rssAfterBytes,
    // Over a handful of connections the difference is noise, not a figure.
    bytesPerConnection: counts.held >= requested / 2 ? slope(curve) : Number.NaN,
    curve,
  };
}

/**
 * Bytes per connection: the least-squares slope of RSS over connections
 * held, so one step that caught a garbage collection weighs less than it
 * would in (last - first) / count.
 */
export function slope(points: { connections: number; rssBytes: number }[]): number {
  const n = points.length;
  const mx = points.reduce((a, p) => a + p.connections, 0) / n;
  const my = points.reduce((a, p) => a + p.rssBytes, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.connections - mx) * (p.rssBytes - my);
    den += (p.connections - mx) ** 2;
  }
  return den > 0 ? num / den : Number.NaN;
}

/** Reads the tree's summed RSS every RSS_EVERY_MS until stopped; returns the largest. */
function samplePeakRss(proc: ModelProcess, first: number): { stop(): Promise<number> } {
  let peak = first;
  let reading = Promise.resolve();
  const timer = setInterval(() => {
    reading = proc.usage().then(
      (u) => void (peak = Math.max(peak, u.rssBytes)),
      () => {},
    );
  }, RSS_EVERY_MS);
  return {
    async stop() {
      clearInterval(timer);
      await reading;
      return peak;
    },
  };
}

export async function measure(ctx: RunContext, proc: ModelProcess, scenario: Scenario, round: number): Promise<Sample> {
  const { options, generator, progress } = ctx;
  const load = { connections: scenario.connections ?? 100, timeout: timeoutOf(ctx, scenario) };
  let client: IdleClient | undefined;
  let probe: Probe | undefined;
  let ticker: LiveTicker | undefined;
  const tracker = { kill: () => void client?.close() };
  const probeTracker = { kill: () => probe?.kill() };
  try {
    progress.phase('checking');
    await checkServer(ctx, proc, scenario);
    const warmup = scenario.warmup ?? options.warmup;
    if (warmup > 0) {
      progress.phase('warm-up', warmup);
      await generator.run(proc.url, scenario.request, { ...load, duration: warmup });
      await settle(ctx, proc, scenario, 'warm-up');
    }
    let idle: Omit<IdleSample, 'heldAfter'> | undefined;
    if (scenario.kind === 'idle') {
      client = await startIdleClient(proc.url, scenario.idle.request, scenario.idle.heldWhen ?? 'head', ctx.fdLimit);
      ctx.live.add(tracker);
      idle = await holdIdle(ctx, proc, scenario, client);
    }
    if (scenario.probe) {
      const { request, everyMs = PROBE_EVERY_MS, openLoop = false, on = 'server' } = scenario.probe;
      const url = on === 'metrics' ? proc.metricsUrl : proc.url;
      if (url === undefined) throw new Error(`${proc.model}: the probe goes to the runner's metrics port, and this server has none`);
      probe = await startProbe(url, request, everyMs, load.timeout * 1000, { openLoop });
      ctx.live.add(probeTracker);
    }
    progress.phase('timed run', options.duration);
    const before = await proc.usage();
    const sampler = samplePeakRss(proc, before.rssBytes);
    const counts = { requests: 0, errors: 0 };
    ticker = startLive(ctx, proc, { scenario: scenario.name, round }, counts, probe);
    const result = await generator.run(proc.url, scenario.request, { ...load, duration: options.duration, ...(ticker && { counts }) });
    const after = await proc.usage();
    const probed: ProbeSample | undefined = await probe?.stop();
    const peakRssBytes = Math.max(await sampler.stop(), after.rssBytes);
    if (!proc.alive()) throw new Error('the server process exited during the run');
    const heldAfter = client ? (await client.status()).held : 0;
    await settle(ctx, proc, scenario, 'timed run');
    const cpuMs = after.cpuMs - before.cpuMs;
    const sample: Sample = {
      round,
      pid: proc.pid,
      ...result,
      cpuMs,
      cpuUsPerReq: result.requests > 0 ? (cpuMs * 1000) / result.requests : Number.NaN,
      serverCores: cpuMs / 1000 / result.seconds,
      peakRssBytes,
      processes: after.processes,
      ...(idle && { idle: { ...idle, heldAfter } }),
      ...(probed && { probe: probed }),
    };
    await ticker?.done(sample);
    ticker = undefined;
    return sample;
  } finally {
    ticker?.stop();
    if (probe) {
      await probe.close();
      ctx.live.delete(probeTracker);
    }
    if (client) {
      progress.phase('closing idle connections');
      await client.close();
      ctx.live.delete(tracker);
    }
  }
}
