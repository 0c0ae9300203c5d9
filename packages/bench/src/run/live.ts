/**
 * Live figures through a timed run (`BenchOptions.live`): every `everyMs`,
 * the generator's counts so far, the server's memory, its event-loop delay
 * (from its `stats()`) and the probe's figures so far, handed to `onTick`.
 * A tick never waits on a server that is slow to answer: its loop delay is
 * the latest answer it gave.
 */
import type { LoadCounts } from '../load/types.js';
import type { Probe } from '../load/probe.js';
import type { ModelProcess } from '../server/launch.js';
import type { LiveServerStats, LiveTick, ProbeSample, Sample } from '../types.js';
import type { RunContext } from './context.js';

/** Default milliseconds between ticks. */
export const LIVE_EVERY_MS = 1_000;
/** How long a `stats()` answer may take before it is given up; the reactor answers between two requests it runs. */
const STATS_WAIT_MS = 5_000;

/** The worst loop of a server: the accepting loop, and each worker's where it reports one (cluster's processes). */
export function worstLoopDelay(stats: LiveServerStats | undefined): number | undefined {
  if (!stats) return undefined;
  const delays = [stats.eventLoop?.delayP99Ms, ...(stats.workers ?? []).map((worker) => worker.eventLoop?.delayP99Ms)].filter(
    (delay): delay is number => typeof delay === 'number' && Number.isFinite(delay),
  );
  return delays.length ? Math.max(...delays) : undefined;
}

export interface LiveTicker {
  /** Stops ticking and sends the `done` tick with the run's sample. */
  done(sample: Sample): Promise<void>;
  /** Stops ticking without a last tick (the run failed). */
  stop(): void;
}

export function startLive(
  ctx: RunContext,
  proc: ModelProcess,
  key: { scenario: string; round: number },
  counts: LoadCounts,
  probe: Probe | undefined,
): LiveTicker | undefined {
  const live = ctx.options.live;
  if (!live) return undefined;
  const everyMs = live.everyMs ?? LIVE_EVERY_MS;
  const started = performance.now();
  let last = { at: started, requests: 0 };
  let loopDelayP99Ms: number | undefined;
  let asking = false;
  let stopped = false;
  let ticking: Promise<void> = Promise.resolve();

  const send = (tick: Omit<LiveTick, 'scenario' | 'model' | 'round'>) => {
    try {
      live.onTick({ scenario: key.scenario, model: proc.model, round: key.round, ...tick });
    } catch (error) {
      ctx.progress.log(`  live: onTick threw: ${error instanceof Error ? error.message : String(error)}`);
    }
  };

  const askStats = () => {
    if (asking) return;
    asking = true;
    proc.stats(STATS_WAIT_MS).then(
      (stats) => {
        asking = false;
        const delay = worstLoopDelay(stats);
        if (delay !== undefined) loopDelayP99Ms = delay;
      },
      () => void (asking = false),
    );
  };

  const tick = async () => {
    askStats();
    const [usage, probed] = await Promise.all([proc.usage().catch(() => undefined), probe?.peek().catch(() => undefined)]);
    if (stopped) return;
    const now = performance.now();
    const requests = counts.requests;
    const seconds = (now - last.at) / 1000;
    const counting = ctx.generator.name === 'autocannon';
    send({
      phase: 'timed',
      elapsedS: (now - started) / 1000,
      requests,
      rps: counting && seconds > 0 ? (requests - last.requests) / seconds : Number.NaN,
      errors: counts.errors,
      rssBytes: usage?.rssBytes ?? Number.NaN,
      ...(loopDelayP99Ms !== undefined && { loopDelayP99Ms }),
      ...(probed && { probe: probed }),
    });
    last = { at: now, requests };
  };

  // The server's loop delay is read from the start, so the first tick has one.
  askStats();
  const timer = setInterval(() => {
    ticking = ticking.then(tick);
  }, everyMs);

  return {
    async done(sample) {
      clearInterval(timer);
      await ticking;
      stopped = true;
      const probe: ProbeSample | undefined = sample.probe;
      send({
        phase: 'done',
        elapsedS: sample.seconds,
        requests: sample.requests,
        rps: sample.rps,
        errors: sample.errors + sample.non2xx + sample.timeouts,
        rssBytes: sample.peakRssBytes,
        ...(loopDelayP99Ms !== undefined && { loopDelayP99Ms }),
        ...(probe && { probe }),
        sample,
      });
    },
    stop() {
      clearInterval(timer);
      stopped = true;
    },
  };
}
