import { execFileSync } from 'node:child_process';

export interface RedisClient {
  name: string;
  flags: string;
  /** Channels it is subscribed to. */
  sub: number;
}

/** Redis's own account of who is connected (`CLIENT LIST`, through redis-cli), less redis-cli's connection. */
export function clientList(port: number): RedisClient[] {
  const out = execFileSync('redis-cli', ['-p', String(port), 'CLIENT', 'LIST'], { encoding: 'utf8' });
  return out
    .trim()
    .split('\n')
    .map((line) => Object.fromEntries(line.split(' ').map((field) => field.split('=', 2) as [string, string])))
    .filter((fields) => fields.cmd !== 'client|list')
    .map((fields) => ({ name: fields.name ?? '', flags: fields.flags ?? '', sub: Number(fields.sub) }));
}
