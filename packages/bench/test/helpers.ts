import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const APP = fileURLToPath(new URL('./fixtures/app.mjs', import.meta.url));
export const RAW = fileURLToPath(new URL('./fixtures/raw.mjs', import.meta.url));
export const SEQUENTIAL = { backlog: 128, keepAlive: false };

/** Collects log lines instead of printing them. */
export function quietLog(): { lines: string[]; log: (line: string) => void } {
  const lines: string[] = [];
  return { lines, log: (line) => lines.push(line) };
}

/** The core CLI's bin, which hands `switchyard bench` to this package. */
export const BIN = fileURLToPath(new URL('../../core/bin/switchyard.js', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the switchyard bin. NODE_PATH is dropped: pnpm's bin shims point it
 * at every hoisted workspace package, which would hide a resolution bug.
 */
export function switchyard(args: string[], cwd: string, timeout = 120_000): Promise<CliResult> {
  const { NODE_PATH: _drop, ...env } = process.env;
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd, env, timeout, maxBuffer: 8 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });
}
