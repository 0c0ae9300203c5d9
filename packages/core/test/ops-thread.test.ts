import { describe, expect, it } from 'vitest';
import { beatNow, notLive } from '../src/ops/ops-thread-protocol.js';

describe("the metrics port thread's liveness", () => {
  const since = Date.now() - 60_000;
  const beatAt = (msAgo: number) => Int32Array.of(beatNow(since) - msAgo);

  it('counts the serving loop live while its beat is recent, and says how long it has been silent once it is not', () => {
    expect(notLive(beatAt(0), since, 10_000)).toBeUndefined();
    expect(notLive(beatAt(9_000), since, 10_000)).toBeUndefined();
    expect(notLive(beatAt(12_000), since, 10_000)).toMatch(/^the event loop has not turned for 120\d\d ms$/);
  });

  it('reads the beat across the 32-bit wrap of its milliseconds', () => {
    // 2^31 ms after `since` the beat's clock wraps to negative numbers.
    const long = Date.now() - 2 ** 31 - 1_000;
    expect(beatNow(long)).toBeLessThan(0);
    expect(notLive(Int32Array.of((beatNow(long) - 2_000) | 0), long, 10_000)).toBeUndefined();
    expect(notLive(Int32Array.of((beatNow(long) - 20_000) | 0), long, 10_000)).toMatch(/has not turned for 200\d\d ms/);
  });
});
