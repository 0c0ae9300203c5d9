/**
 * The probe's two schedules. A closed loop sends, waits for the answer,
 * sleeps, and sends again: while the server stalls it sends nothing, so a
 * stall is one slow sample. An open loop sends on a fixed schedule whatever
 * happened to earlier requests and times each from its scheduled send, so
 * every request that fell into a stall shows it.
 */
import type { Sender } from './probe-request.js';

export interface Recorded {
  /** Milliseconds, in the order recorded. */
  latencies: number[];
  errors: number;
  sent: number;
  /** Open loop: still waiting at stop (their ages are in `latencies`). */
  unanswered: number;
  /** The largest of those ages; 0 when none. */
  oldestUnanswered: number;
}

export interface Loop {
  stop(): Promise<Recorded>;
  /** What was recorded so far, going on (open loop: without the requests still waiting). */
  peek(): Recorded;
}

const ok = (status: number) => status >= 200 && status < 300;

export function closedLoop(sender: Sender, everyMs: number): Loop {
  const recorded: Recorded = { latencies: [], errors: 0, sent: 0, unanswered: 0, oldestUnanswered: 0 };
  let running = true;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      recorded.sent++;
      try {
        const status = await sender.send().done;
        if (ok(status)) recorded.latencies.push(performance.now() - started);
        else recorded.errors++;
      } catch {
        recorded.errors++;
      }
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return recorded;
    },
    peek: () => recorded,
  };
}

export function openLoop(sender: Sender, everyMs: number): Loop {
  const recorded: Recorded = { latencies: [], errors: 0, sent: 0, unanswered: 0, oldestUnanswered: 0 };
  const pending = new Set<{ scheduled: number; abort(): void }>();
  let next = performance.now();
  let timer: NodeJS.Timeout | undefined;

  const launch = (scheduled: number) => {
    recorded.sent++;
    const request = sender.send();
    const entry = { scheduled, abort: request.abort };
    pending.add(entry);
    request.done.then(
      (status) => {
        if (!pending.delete(entry)) return;
        if (ok(status)) recorded.latencies.push(performance.now() - scheduled);
        else recorded.errors++;
      },
      () => {
        if (pending.delete(entry)) recorded.errors++;
      },
    );
  };
  const tick = () => {
    // Whatever fell due while this process waited for the CPU goes now, stamped with its own time.
    for (const now = performance.now(); next <= now; next += everyMs) launch(next);
    timer = setTimeout(tick, Math.max(0, next - performance.now()));
  };
  tick();

  return {
    async stop() {
      clearTimeout(timer);
      const now = performance.now();
      for (const entry of pending) {
        recorded.unanswered++;
        recorded.latencies.push(now - entry.scheduled);
        recorded.oldestUnanswered = Math.max(recorded.oldestUnanswered, now - entry.scheduled);
        entry.abort();
      }
      pending.clear();
      return recorded;
    },
    peek: () => recorded,
  };
}
