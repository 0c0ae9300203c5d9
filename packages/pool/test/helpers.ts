import { mkdtempSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger, ServeOptions } from '@switchyard/core';
import { serve, type RunningPool } from '@switchyard/pool';

export const APP = new URL('./fixtures/app.mjs', import.meta.url);

/** A logger that keeps every line, so tests can see what the main thread reported. */
export function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const keep = (...args: unknown[]) => {
    lines.push(args.map((arg) => (arg instanceof Error ? `${arg.name}: ${arg.message}` : String(arg))).join(' '));
  };
  return { lines, error: keep, warn: keep, info: keep };
}

/**
 * Starts the fixture app on the pool. The express lane is off unless asked
 * for, so tests of queueing and placement see exactly `workers` threads;
 * express.test.ts and the conformance suite run with it.
 */
export async function startPool(options: Partial<ServeOptions> = {}): Promise<RunningPool & { logger: ReturnType<typeof recordingLogger> }> {
  const logger = recordingLogger();
  const pool = { expressLane: false, ...options.pool };
  const server = await serve({ app: APP, port: 0, workers: 2, signals: false, logger, ...options, pool });
  return Object.assign(server, { logger });
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'switchyard-pool-'));
}

/** Polls `check` until it returns a truthy value; fails after `ms`. */
export async function waitFor<T>(check: () => T | Promise<T>, ms = 5000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Sends raw bytes and resolves with everything the server sent until it closed or `idleMs` passed without data. */
export function rawRequest(url: string, payload: string | Buffer, idleMs = 1000): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    let timer: NodeJS.Timeout | undefined;
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(Buffer.concat(chunks).toString('latin1'));
    };
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(done, idleMs);
    };
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      arm();
    });
    socket.on('end', done);
    socket.on('close', done);
    socket.on('error', (error) => (chunks.length ? done() : reject(error)));
    socket.write(payload);
    arm();
  });
}

export async function json<T = Record<string, unknown>>(response: Response | Promise<Response>): Promise<T> {
  return (await (await response).json()) as T;
}
