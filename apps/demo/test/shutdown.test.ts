import { describe, expect, it } from 'vitest';
import { openEventStream } from './support/sse.js';
import { backends, startDemo } from './support/start-demo.js';

describe.each(backends)('shutdown under %s', (backend) => {
  it('ends open chat and stats streams as close begins, instead of waiting out the grace period', async () => {
    // A grace period far past the test's timeout: only the streams ending by themselves let close finish in time.
    const server = await startDemo(backend, { graceMs: 60_000 });
    const chat = await openEventStream(`${server.url}/chat/events`);
    const stats = await openEventStream(`${server.url}/stats/events`);
    expect((await chat.next()).event).toBe('ready');
    expect((await stats.next()).event).toBe('stats');
    const closing = server.close();
    await expect(chat.next()).rejects.toThrow(/ended/);
    // Stats frames already on their way may come first; the stream must still end.
    await expect(
      (async () => {
        for (;;) await stats.next();
      })(),
    ).rejects.toThrow(/ended/);
    await closing;
  });
});
