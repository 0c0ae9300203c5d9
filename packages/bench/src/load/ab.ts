/**
 * Apache Bench, for the classic experiment: `ab -r -n1000 -c150 -l <url>`,
 * a new connection per request (no -k). -r keeps going on socket errors,
 * -l accepts bodies whose length varies (a body that names its worker).
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ClassicSample } from '../types.js';
import { which } from './which.js';

export interface Ab {
  version: string;
  command(requests: number, concurrency: number, url: string): string;
  run(url: string, requests: number, concurrency: number): Promise<Omit<ClassicSample, 'round'>>;
}

/** Parses ab's report. Failed requests are counted by kind, as ab prints them. */
export function parseAb(out: string): Omit<ClassicSample, 'round'> {
  const rps = /Requests per second:\s+([\d.]+)/.exec(out);
  const complete = /Complete requests:\s+(\d+)/.exec(out);
  if (!rps || !complete) throw new Error(`could not read ab output:\n${out.slice(-2000)}`);
  const detail = /\(Connect: (\d+), Receive: (\d+), Length: (\d+), Exceptions: (\d+)\)/.exec(out);
  const percentile = (label: string) => Number(new RegExp(`^\\s+${label}%\\s+(\\d+)`, 'm').exec(out)?.[1] ?? Number.NaN);
  return {
    rps: Number(rps[1]),
    complete: Number(complete[1]),
    failed: Number(/Failed requests:\s+(\d+)/.exec(out)?.[1] ?? 0),
    non2xx: Number(/Non-2xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0),
    p50Ms: percentile('50'),
    p99Ms: percentile('99'),
    maxMs: percentile('100'),
    failedDetail: {
      connect: Number(detail?.[1] ?? 0),
      receive: Number(detail?.[2] ?? 0),
      length: Number(detail?.[3] ?? 0),
      exceptions: Number(detail?.[4] ?? 0),
    },
  };
}

/** ab when it is on PATH, else undefined. */
export function findAb(): Ab | undefined {
  const path = which('ab');
  if (!path) return undefined;
  const probe = spawnSync(path, ['-V'], { encoding: 'utf8' });
  const version = /ApacheBench, Version [^\s]+/.exec(`${probe.stdout}${probe.stderr}`)?.[0] ?? 'ApacheBench';
  const args = (requests: number, concurrency: number, url: string) => ['-r', `-n${requests}`, `-c${concurrency}`, '-l', url];
  return {
    version,
    command: (requests, concurrency, url) => `ab ${args(requests, concurrency, url).join(' ')}`,
    run(url, requests, concurrency) {
      return new Promise((resolve, reject) => {
        const child = spawn(path, args(requests, concurrency, url), { stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        child.stdout.on('data', (chunk) => (out += chunk));
        child.stderr.on('data', (chunk) => (out += chunk));
        // ab waits up to 30 s per socket; a stuck server must not stall the suite.
        const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
        child.on('error', reject);
        child.on('close', (code) => {
          clearTimeout(timer);
          try {
            resolve(parseAb(out));
          } catch (error) {
            reject(code === 0 ? (error as Error) : new Error(`ab exited with ${code}: ${out.trim().split('\n').slice(-3).join(' / ')}`));
          }
        });
      });
    },
  };
}
