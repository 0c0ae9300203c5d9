import { describe, expect, it } from 'vitest';
import { RestartPolicy } from '../src/restart-policy.js';

describe('RestartPolicy', () => {
  const policy = () => new RestartPolicy({ restartDelayMs: 100, maxRestartDelayMs: 1_000, crashLoopLimit: 5 });

  it('doubles the delay with each quick failure in a row, up to the ceiling, then calls it a crash loop', () => {
    const p = policy();
    expect([1, 2, 3, 4, 5].map(() => p.died(true))).toEqual([
      { delayMs: 100, failures: 1, crashLoop: false },
      { delayMs: 200, failures: 2, crashLoop: false },
      { delayMs: 400, failures: 3, crashLoop: false },
      { delayMs: 800, failures: 4, crashLoop: false },
      { delayMs: 1_000, failures: 5, crashLoop: true },
    ]);
  });

  it('starts over after a process that ran long enough', () => {
    const p = policy();
    p.died(true);
    p.died(true);
    expect(p.died(false)).toEqual({ delayMs: 100, failures: 0, crashLoop: false });
    expect(p.died(true)).toEqual({ delayMs: 100, failures: 1, crashLoop: false });
  });
});
