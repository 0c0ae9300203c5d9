import type { AppContext } from '@switchyard/core';
import { STATS_CHANNEL, type WorkerFigures } from './figures.js';
import { LoopProbe } from './loop-probe.js';
import { meter } from './meter.js';

export const PUBLISH_EVERY_MS = 1000;

/**
 * Publishes this context's figures every second. Runs once per thread or
 * process (from `setup`), so under pool and cluster every worker speaks for
 * itself and the stats stream, wherever it runs, hears them all.
 * Returns a function that stops it.
 */
export function startPublisher(ctx: AppContext): () => void {
  const channel = ctx.channel<WorkerFigures>(STATS_CHANNEL);
  const loop = new LoopProbe();
  meter.read(); // start the first interval now, not at import
  const timer = setInterval(() => {
    const { requests, rps, p99Ms } = meter.read();
    const { delayP99Ms, elu } = loop.read();
    channel.publish({
      backend: ctx.backend,
      workerId: ctx.workerId,
      pid: process.pid,
      requests,
      rps: round(rps),
      p99Ms: round(p99Ms),
      loopDelayP99Ms: round(delayP99Ms),
      elu: round(elu, 3),
    });
  }, PUBLISH_EVERY_MS);
  // The timer alone must never keep a thread or process alive.
  timer.unref();
  return () => {
    clearInterval(timer);
    loop.stop();
  };
}

/** Fewer digits on the wire; also turns a stray NaN into 0, which JSON (the cluster's relay) would make null. */
function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Number.isFinite(value) ? Math.round(value * factor) / factor : 0;
}
