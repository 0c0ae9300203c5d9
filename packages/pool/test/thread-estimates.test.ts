import { describe, expect, it } from 'vitest';
import type { SessionLink } from '../src/link.js';
import { ThreadHandle } from '../src/thread.js';

/**
 * The main thread's estimates of one pool thread, driven by hand: the
 * thread's progress is the shared `started` counter, written here as a
 * thread would, and the clock is passed in. Real threads run in the other
 * pool tests; these pin the arithmetic the dispatcher relies on.
 */
async function handle(): Promise<{ thread: ThreadHandle; start: (seq: number) => void }> {
  const started = new Int32Array(new SharedArrayBuffer(4));
  const session = {
    started,
    up: Promise.resolve(),
    ended: new Promise(() => {}),
    onMessage: () => {},
    post: () => {},
  };
  const thread = new ThreadHandle(1, { message: () => {}, exited: () => {} }, { express: false, niceIncrement: 0 });
  await thread.start(session as unknown as SessionLink, false);
  return { thread, start: (seq) => Atomics.store(started, 0, seq) };
}

describe('pool: what the main thread expects of a thread', () => {
  it('counts what is left of the running request from its start, not from a later send', async () => {
    const { thread, start } = await handle();
    const first = thread.sent(2, 0);
    start(first);
    expect(thread.wait(0)).toBe(2);
    // A second request is sent 1.5 ms into the first: 0.5 ms of it is left, then 2 ms of the second.
    thread.sent(2, 1.5);
    expect(thread.wait(1.5)).toBeCloseTo(2.5);
    expect(thread.heldAtNextAnswer(1.5)).toBe(2);
  });

  it('calls a thread blocked only once it is late past the expected end of what it runs', async () => {
    const { thread, start } = await handle();
    start(thread.sent(2, 0));
    thread.wait(0);
    thread.sent(2, 1.5);
    // The first request should end at 2 ms; the second is not late at 2.6 ms.
    expect(thread.blocked(2.6, 1)).toBe(false);
    expect(thread.blocked(3.2, 1)).toBe(true);
  });

  it('counts an answer as progress: what waits in the port starts next', async () => {
    const { thread, start } = await handle();
    const first = thread.sent(2, 0);
    start(first);
    thread.wait(0);
    thread.sent(2, 1.5);
    thread.answered(first, 2.9);
    expect(thread.blocked(3.5, 1)).toBe(false);
    expect(thread.wait(3.5)).toBe(2);
    // The second starts next; nothing is queued behind it.
    expect(thread.heldAtNextAnswer(3.5)).toBe(0);
    expect(thread.blocked(4, 1)).toBe(true);
  });
});
