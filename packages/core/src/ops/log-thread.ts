/**
 * Runs in pino's transport thread (pino.transport), off the serving
 * thread. Everything it gets is whole JSON lines: pino's own (lifecycle
 * events, errors) and access lines the serving thread built (record.ts).
 * It writes them to stdout in groups of whole lines of at most `maxWrite`
 * bytes, so each write is one piece however many processes share stdout,
 * and never parses a line (stdout-writer.ts: why not pino's destination).
 */
import { Writable } from 'node:stream';
import { StdoutWriter } from './stdout-writer.js';

export interface LogThreadOptions {
  minLength: number;
  maxWrite: number;
  periodicFlush: number;
}

/**
 * Writes `text`'s whole lines through `write` in groups of at most
 * `maxWrite` bytes. The writer keeps each group whole and joins groups up
 * to `maxWrite` bytes, so a group that is too long in bytes (text beyond
 * ASCII) goes line by line, and a line longer than `maxWrite` alone.
 */
export function writeLineGroups(text: string, maxWrite: number, write: (group: string) => void): void {
  let start = 0;
  while (start < text.length) {
    let end = text.length - start <= maxWrite ? text.length : text.lastIndexOf('\n', start + maxWrite - 1) + 1;
    if (end <= start) end = text.indexOf('\n', start) + 1 || text.length;
    const group = text.slice(start, end);
    if (Buffer.byteLength(group) <= maxWrite) write(group);
    else for (const line of group.split(/(?<=\n)/)) write(line);
    start = end;
  }
}

export default function logThread(options: LogThreadOptions): Writable {
  const destination = new StdoutWriter(1, { minLength: options.minLength, maxWrite: options.maxWrite, flushEveryMs: options.periodicFlush });
  const write = (group: string) => destination.write(group);
  let partial = '';

  return new Writable({
    decodeStrings: false,
    write(chunk: string | Buffer, _encoding, callback) {
      const text = partial + String(chunk);
      const end = text.lastIndexOf('\n') + 1;
      partial = text.slice(end);
      if (end > 0) writeLineGroups(end === text.length ? text : text.slice(0, end), options.maxWrite, write);
      callback();
    },
    final(callback) {
      if (partial) write(`${partial}\n`);
      partial = '';
      destination.end();
      callback();
    },
  });
}
