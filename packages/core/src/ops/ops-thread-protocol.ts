/** What the serving thread and the metrics port's thread (ops-thread.ts) say to each other. */
import type { HealthPaths } from './options.js';

export interface OpsThreadData {
  port: number;
  host: string;
  health: HealthPaths | undefined;
  /** Readiness when the thread starts: why not ready, or null. */
  notReady: string | null;
  /** One Int32: the serving loop's last turn, in ms since `since` (wrapping). */
  beat: SharedArrayBuffer;
  since: number;
  /** Liveness fails once the serving loop has not turned for this long. */
  stallMs: number;
}

export type ToOpsThread =
  | { t: 'readiness'; notReady: string | null }
  | { t: 'scraped'; id: number; body: string; contentType: string; error?: undefined }
  | { t: 'scraped'; id: number; error: string };

export type FromOpsThread =
  | { t: 'listening'; port: number }
  | { t: 'readiness?' }
  | { t: 'failed'; code: string | undefined; message: string }
  | { t: 'scrape'; id: number; openMetrics: boolean };

/** Milliseconds since `since`, as the beat holds them: 32 bits, wrapping (the difference of two is right for 24 days). */
export function beatNow(since: number): number {
  return (Date.now() - since) | 0;
}

/** Why the serving loop does not count as live (it has not turned for `stallMs`), or undefined. */
export function notLive(beat: Int32Array, since: number, stallMs: number): string | undefined {
  const silentMs = (beatNow(since) - Atomics.load(beat, 0)) | 0;
  return silentMs > stallMs ? `the event loop has not turned for ${silentMs} ms` : undefined;
}
