import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const burst = fileURLToPath(new URL('./fixtures/log-burst.mjs', import.meta.url));

/** Runs the fixture with stdout a pipe read as fast as it comes; counts whole lines and checks their order. */
function run(
  count: number,
  { closeAfterFirstChunk = false } = {},
): Promise<{ code: number | null; lines: number; inOrder: boolean; stderr: string; seconds: number }> {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, [burst, String(count)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let lines = 0;
    let inOrder = true;
    let partial = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      if (closeAfterFirstChunk) child.stdout.destroy();
      const text = partial + chunk;
      const end = text.lastIndexOf('\n');
      partial = text.slice(end + 1);
      for (const line of text.slice(0, end).split('\n')) {
        if (!line) continue;
        const n = Number(/"n":(\d+),/.exec(line)?.[1]);
        if (n !== lines || !line.endsWith('"msg":"request"}')) inOrder = false;
        lines++;
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('close', (code) => resolve({ code, lines, inOrder: inOrder && partial === '', stderr, seconds: (performance.now() - started) / 1000 }));
  });
}

describe('the log thread', () => {
  // A pipe is what stdout is under Docker, systemd and a shell's `|`, and
  // Node makes it non-blocking: a write to a full pipe fails with EAGAIN.
  // pino's own destination slept 100 ms after each, which held these 40 MB
  // back for 19-20 s (about 2 MB/s, a tenth of a busy server's lines); the
  // process then lived on until they were out. Written now as fast as the
  // pipe is read: about 0.6 s here. The bound only catches that stall.
  it('writes every line, whole and in order, to a pipe that fills up, as fast as it is read', async () => {
    const count = 200_000; // 40 MB
    const result = await run(count);
    expect(result.stderr).toBe('written\n');
    expect(result.code).toBe(0);
    expect(result.inOrder).toBe(true);
    expect(result.lines).toBe(count);
    expect(result.seconds).toBeLessThan(10);
  }, 60_000);

  it('drops the lines once the reader has gone, says so once on stderr, and lets the process end normally', async () => {
    const result = await run(50_000, { closeAfterFirstChunk: true });
    expect(result.code).toBe(0);
    expect(result.lines).toBeGreaterThan(0);
    expect(result.lines).toBeLessThan(50_000);
    const failures = result.stderr.match(/\[switchyard\] access log: writing to stdout failed \(EPIPE\); log lines are dropped from now on\n/g);
    expect(failures).toHaveLength(1);
    expect(result.stderr).toContain('written\n');
  }, 60_000);
});
