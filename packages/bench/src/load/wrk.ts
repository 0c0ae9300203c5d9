/**
 * wrk, when installed and asked for: one C thread (`-t1`) that leaves the
 * most CPU to the server on a small machine. Requests other than a plain
 * GET go through a Lua script.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoadResult, RequestSpec } from '../types.js';
import type { Generator, LoadSettings } from './types.js';

const UNIT_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

function toMs(value: string, unit: string): number {
  return Number(value) * (UNIT_MS[unit] ?? Number.NaN);
}

/** Parses `wrk --latency` output. */
export function parseWrk(out: string): LoadResult {
  const total = /(\d+) requests in ([\d.]+)(us|ms|s|m),/.exec(out);
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(out);
  if (!total || !rps) throw new Error(`could not read wrk output:\n${out}`);
  const percentile = (p: number) => {
    const m = new RegExp(`^\\s+${p}(?:\\.0+)?%\\s+([\\d.]+)(us|ms|s|m)\\s*$`, 'm').exec(out);
    return m ? toMs(m[1]!, m[2]!) : Number.NaN;
  };
  // "Latency   avg   stdev   max   +/- stdev"
  const latency = /^\s+Latency\s+[\d.]+\w+\s+[\d.]+\w+\s+([\d.]+)(us|ms|s|m)/m.exec(out);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const [connect, read, write, timeout] = socket ? socket.slice(1).map(Number) : [0, 0, 0, 0];
  return {
    rps: Number(rps[1]),
    requests: Number(total[1]),
    seconds: toMs(total[2]!, total[3]!) / 1000,
    p50Ms: percentile(50),
    p99Ms: percentile(99),
    maxMs: latency ? toMs(latency[1]!, latency[2]!) : Number.NaN,
    errors: connect! + read! + write!,
    non2xx: Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0),
    timeouts: timeout!,
  };
}

const lua = (text: string) => JSON.stringify(text); // a JSON string is a valid Lua string literal for these inputs

/** A Lua script for wrk that sends `request`; the body lives in its own file. */
function script(dir: string, request: RequestSpec): string {
  const lines = [`wrk.method = ${lua(request.method ?? 'GET')}`];
  for (const [name, value] of Object.entries(request.headers ?? {})) lines.push(`wrk.headers[${lua(name)}] = ${lua(value)}`);
  if (request.body !== undefined) {
    const file = join(dir, 'body.bin');
    writeFileSync(file, request.body);
    lines.push(`local f = assert(io.open(${lua(file)}, "rb"))`, 'wrk.body = f:read("*a")', 'f:close()');
  }
  const path = join(dir, 'request.lua');
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

export function wrkGenerator(path: string): Generator {
  const probe = spawnSync(path, ['-v'], { encoding: 'utf8' });
  const version =
    `${probe.stdout}${probe.stderr}`
      .split('\n')[0]!
      .replace(/ Copyright.*$/, '')
      .trim() || 'wrk';
  return {
    name: 'wrk',
    version,
    describe: ({ connections, timeout }) => `wrk -t1 -c${connections ?? '<per scenario>'} --timeout ${timeout}s --latency (keep-alive)`,
    run(url: string, request: RequestSpec, { duration, connections, timeout }: LoadSettings): Promise<LoadResult> {
      const plain = (request.method ?? 'GET') === 'GET' && request.body === undefined && !request.headers;
      const dir = plain ? undefined : mkdtempSync(join(tmpdir(), 'switchyard-wrk-'));
      const args = ['-t1', `-c${connections}`, `-d${Math.max(1, Math.round(duration))}s`, `--timeout`, `${timeout}s`, '--latency'];
      if (dir) args.push('-s', script(dir, request));
      args.push(`${url}${request.path}`);
      return new Promise<LoadResult>((resolve, reject) => {
        const child = spawn(path, args, { stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        child.stdout.on('data', (chunk) => (out += chunk));
        child.stderr.on('data', (chunk) => (out += chunk));
        child.on('error', reject);
        child.on('close', (code) => {
          if (dir) rmSync(dir, { recursive: true, force: true });
          if (code !== 0) return reject(new Error(`wrk exited with ${code}:\n${out}`));
          try {
            resolve(parseWrk(out));
          } catch (error) {
            reject(error as Error);
          }
        });
      });
    },
  };
}
