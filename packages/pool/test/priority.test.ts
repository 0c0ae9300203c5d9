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

  it('runs the pool threads, and only them, niceIncrement lower than the main thread', async () => {
    const base = threadNices()[0]!;
    const lowered = Math.min(19, base + 7);
    const before = threadNices().filter((nice) => nice === lowered).length;
    server = await startPool({ workers: 2, pool: { niceIncrement: 7 } });
    // Both threads answer, so both have run their session's start.
    const ids = new Set<string>();
    for (let i = 0; i < 20 && ids.size < 2; i++) ids.add(await (await fetch(`${server.url}/whoami`)).text());
    // The two serving threads, and the standby kept ready to replace a lost one.
    await waitFor(() => threadNices().filter((nice) => nice === lowered).length - before === 3, 5000, 'three lowered threads');
    expect(threadNices()[0]).toBe(base);
  });
});
