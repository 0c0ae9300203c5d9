import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../types.js';

/** Polls `check` every 20 ms until it returns a value, failing after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The file the conformance app appends events to, from any thread or process. */
export class EventLog {
  readonly dir = mkdtempSync(join(tmpdir(), 'switchyard-conformance-'));
  readonly path = join(this.dir, 'events.log');

  lines(): string[] {
    try {
      return readFileSync(this.path, 'utf8').split('\n').filter(Boolean);
    } catch {
      return [];
    }
  }

  find(prefix: string): string | undefined {
    return this.lines().find((line) => line.startsWith(prefix));
  }

  waitFor(prefix: string, timeoutMs?: number): Promise<string> {
    return waitFor(`log line "${prefix}..."`, () => this.find(prefix), timeoutMs);
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A logger that keeps what it is told, for asserting the server's log lines. */
export function collectingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const keep = (...args: unknown[]) => {
    lines.push(args.map((arg) => (arg instanceof Error ? arg.message : String(arg))).join(' '));
  };
  return { lines, error: keep, warn: keep, info: keep };
}

export interface RawExchange {
  /** Everything the server sent before closing, or before `until` matched. */
  text: string;
  /** True when the server closed the connection. */
  closed: boolean;
}

/**
 * Writes raw bytes to the server and collects the answer: the way to send
 * what no well-behaved client would. Stops when the server closes, when
 * `until` matches what came back, or after `timeoutMs`.
 */
export function rawExchange(
  port: number,
  chunks: Array<string | Buffer>,
  options: { until?: (text: string) => boolean; timeoutMs?: number; gapMs?: number } = {},
): Promise<RawExchange> {
  const { until, timeoutMs = 5_000, gapMs = 0 } = options;
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    let settled = false;
    const finish = (closed: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ text, closed });
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    socket.on('data', (data) => {
      text += data.toString('latin1');
      if (until?.(text)) finish(false);
    });
    socket.on('close', () => finish(true));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // The server may close while we are still writing: what it said counts.
      if (error.code === 'ECONNRESET' || error.code === 'EPIPE') finish(true);
      else if (!settled) {
        settled = true;
        clearTimeout(timer);
        reject(error);
      }
    });
    socket.on('connect', async () => {
      for (const chunk of chunks) {
        if (socket.destroyed) return;
        socket.write(chunk);
        if (gapMs) await new Promise((r) => setTimeout(r, gapMs));
      }
    });
  });
}

/**
 * Writes a whole request, head and body, before reading anything back, as a
 * careless client does; then reads what came back. A server that closes
 * while the body is still arriving resets the connection, and the answer it
 * sent is lost: `text` is then empty and `error` says why.
 */
export function rawUpload(port: number, head: string, body: Buffer): Promise<{ text: string; error?: string }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    let error: string | undefined;
    socket.pause();
    socket.on('data', (data) => (text += data.toString('latin1')));
    socket.on('error', (e: NodeJS.ErrnoException) => (error ??= e.code ?? e.message));
    socket.on('close', () => resolve({ text, ...(error === undefined ? {} : { error }) }));
    socket.write(head);
    socket.write(body, () => setTimeout(() => socket.resume(), 100));
  });
}

/** The status codes of every HTTP response in a raw exchange, in order. */
export function statuses(text: string): number[] {
  return [...text.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((match) => Number(match[1]));
}

/** Reads server-sent events from a fetch response until `count` data events came. */
export async function readEvents(
  response: Response,
  count: number,
  timeoutMs = 5_000,
): Promise<{ events: string[]; reader: ReadableStreamDefaultReader<Uint8Array> }> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const events: string[] = [];
  let buffer = '';
  const deadline = Date.now() + timeoutMs;
  while (events.length < count) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${count} events, got ${events.length}`);
    const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), Math.max(1, deadline - Date.now())).unref());
    const read = await Promise.race([reader.read(), timeout]);
    if (read === 'timeout') continue;
    if (read.done) break;
    buffer += decoder.decode(read.value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) !== -1) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = block
        .split('\n')
        .filter((line) => line.startsWith('data: '))
        .map((line) => line.slice(6));
      if (data.length) events.push(data.join('\n'));
    }
  }
  return { events, reader };
}

/** Sends `body` in chunks with `transfer-encoding: chunked` and returns status and text. */
export function chunkedUpload(url: string, body: Buffer, chunkSize = 64 * 1024): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', headers: { 'transfer-encoding': 'chunked' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, text }));
    });
    // The server may answer 413 and close before we finish writing.
    req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'EPIPE' || error.code === 'ECONNRESET' ? undefined : reject(error)));
    let offset = 0;
    const writeMore = () => {
      while (offset < body.length) {
        const chunk = body.subarray(offset, offset + chunkSize);
        offset += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', writeMore);
      }
      req.end();
    };
    writeMore();
  });
}
