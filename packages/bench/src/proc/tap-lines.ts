/**
 * A child's output cut into lines, but only while someone wants them. A
 * server with access logs on prints tens of thousands of lines a second,
 * and the runner keeps a few per run: cutting, decoding and handing on
 * every one (readline) cost the runner CPU on the cores the server was
 * measured on. While `wants()` is false the chunks are read and let go
 * whole; the line a dropped chunk ends inside is skipped, so a line is
 * never handed on in part.
 */
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

export function tapLines(input: Readable, onLine: (line: string) => void, wants: () => boolean): void {
  const decoder = new StringDecoder('utf8');
  let partial = '';
  // After a chunk that was let go, the text up to the next newline ends a line not seen.
  let skipping = false;
  input.on('data', (chunk: Buffer) => {
    if (!wants()) {
      decoder.end(); // drops a character cut in two, and starts afresh
      partial = '';
      skipping = chunk[chunk.length - 1] !== 0x0a;
      return;
    }
    let text = partial + decoder.write(chunk);
    if (skipping) {
      const end = text.indexOf('\n');
      if (end < 0) return;
      text = text.slice(end + 1);
      skipping = false;
    }
    let start = 0;
    for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
      const line = text.slice(start, text[end - 1] === '\r' ? end - 1 : end);
      start = end + 1;
      onLine(line);
    }
    partial = text.slice(start);
  });
  input.on('end', () => {
    const rest = partial + decoder.end();
    if (rest !== '' && !skipping && wants()) onLine(rest);
  });
}
