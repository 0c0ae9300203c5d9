import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { startPool, waitFor } from './helpers.js';

/** The nice value of each thread of this process, from /proc (field 19 of stat). */
function threadNices(): number[] {
  return readdirSync('/proc/self/task').map((tid) => {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    // The command name may hold spaces; the fields after it are plain.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[16]);
  });
}

describe.runIf(process.platform === 'linux')('pool: thread priority (Linux)', () => {
  let server: Awaited<ReturnType<typeof startPool>> | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('runs the serving threads, and only them, niceIncrement lower than the main thread', async () => {
    const base = threadNices()[0]!;
    const lowered = Math.min(19, base + 7);
    const count = () => threadNices().filter((nice) => nice === lowered).length;
    const before = count();
    server = await startPool({ workers: 2, pool: { niceIncrement: 7, expressLane: true } });
    // Both threads answer, so both have run their session's start.
    const ids = new Set<string>();
    for (let i = 0; i < 20 && ids.size < 2; i++) ids.add(await (await fetch(`${server.url}/whoami`)).text());
    // The two serving threads; not the express lane, nor the standby until it replaces a serving thread.
    await waitFor(() => count() - before === 2, 5000, 'two lowered threads');
    const express = (await server.stats()).workers.find((w) => w.express)!;
    expect(express.threadId).toBeGreaterThan(0);
    expect(threadNices()[0]).toBe(base);
    // A standby that takes over a serving thread steps down then.
    await fetch(`${server.url}/exit`).catch(() => {});
    await waitFor(async () => (await server!.stats()).workers.some((w) => w.restarts === 1), 5000, 'the thread to be replaced');
    await waitFor(() => count() - before === 2, 5000, 'the replacement to be lowered');
  });
});
