import { fileURLToPath } from 'node:url';

export const APP = fileURLToPath(new URL('./fixtures/app.mjs', import.meta.url));
export const RAW = fileURLToPath(new URL('./fixtures/raw.mjs', import.meta.url));
export const SEQUENTIAL = { backlog: 128, keepAlive: false };

/** Collects log lines instead of printing them. */
export function quietLog(): { lines: string[]; log: (line: string) => void } {
  const lines: string[] = [];
  return { lines, log: (line) => lines.push(line) };
}
