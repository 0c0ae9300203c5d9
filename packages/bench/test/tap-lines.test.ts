import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { tapLines } from '../src/proc/tap-lines.js';

/** Feeds `chunks` through tapLines, `wanted[i]` saying whether lines are wanted as chunk i arrives. */
async function tap(chunks: (string | Buffer)[], wanted: boolean[] = chunks.map(() => true)): Promise<string[]> {
  const input = new PassThrough();
  const lines: string[] = [];
  let at = 0;
  tapLines(
    input,
    (line) => lines.push(line),
    () => wanted[Math.min(at, wanted.length - 1)]!,
  );
  for (const chunk of chunks) {
    input.write(chunk);
    await new Promise((resolve) => setImmediate(resolve));
    at++;
  }
  input.end();
  await new Promise((resolve) => input.on('end', resolve));
  return lines;
}

describe('tapLines', () => {
  it('cuts lines across chunks, drops a CR before the newline, and joins a character cut in two', async () => {
    const euro = Buffer.from('€');
    const lines = await tap(['{"a":1}\n{"b"', ':2}\r\nprice ', euro.subarray(0, 1), Buffer.concat([euro.subarray(1), Buffer.from('\nlast')])]);
    expect(lines).toEqual(['{"a":1}', '{"b":2}', 'price €', 'last']);
  });

  it('lets chunks go while lines are not wanted, and never hands on part of a line', async () => {
    const lines = await tap(['one\ntw', 'o\nthr', 'ee\nfour\n', 'five\n'], [true, false, true, true]);
    // "two" was cut by a chunk let go, and "three" ends inside one: both are skipped, not handed on in part.
    expect(lines).toEqual(['one', 'four', 'five']);
  });

  it('picks up at the next line when a chunk let go ended on a newline', async () => {
    const lines = await tap(['a\n', 'b\nc\n', 'd\n'], [true, false, true]);
    expect(lines).toEqual(['a', 'd']);
  });
});
