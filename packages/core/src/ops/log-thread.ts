/**
 * Runs in pino's transport thread (pino.transport), off the serving
 * thread. It gets two kinds of lines: JSON that a pino logger already
 * wrote (lifecycle events), passed through; and access records, which the
 * serving thread writes as a few fields (record.ts) for this thread to
 * turn into pino's JSON. Writes carry whole lines of at most `maxWrite`
 * bytes, synchronously: this thread has nothing else to do.
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { parseAccessRecord, RECORD_MARK } from './record.js';

export interface LogThreadOptions {
  level: string;
  pid: number;
  minLength: number;
  maxWrite: number;
  periodicFlush: number;
}

export default function logThread(options: LogThreadOptions): Writable {
  const destination = pino.destination({ fd: 1, sync: true, minLength: options.minLength, maxWrite: options.maxWrite, periodicFlush: options.periodicFlush });
  // Each line keeps the time the request ended on the serving thread.
  let time = 0;
  const logger = pino({ level: options.level, base: { pid: options.pid }, timestamp: () => `,"time":${time}` }, destination);
  let partial = '';

  const line = (text: string) => {
    if (text.charCodeAt(0) !== RECORD_MARK) return void destination.write(`${text}\n`);
    const record = parseAccessRecord(text);
    time = record.time;
    logger.info(record.fields, 'request');
  };

  return new Writable({
    decodeStrings: false,
    write(chunk: string | Buffer, _encoding, callback) {
      const lines = (partial + String(chunk)).split('\n');
      partial = lines.pop()!;
      for (const text of lines) if (text) line(text);
      callback();
    },
    final(callback) {
      if (partial) line(partial);
      partial = '';
      destination.flushSync();
      callback();
    },
  });
}
