import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureRedisServer, RedisServer } from '../../../test-support/redis-server.mjs';
import { ensureNginx, freePort, runNginx, type Nginx } from './support/nginx.js';
import { openEventStream, type EventStream } from './support/sse.js';

/**
 * The deploy guide, run: nginx with docs/deploy/nginx.conf in front of three
 * demo instances (one per backend, as `switchyard serve` runs them) that
 * share a real redis-server through `--channel`.
 */
const bin = fileURLToPath(new URL('../../../packages/core/bin/switchyard.js', import.meta.url));
const demoDir = fileURLToPath(new URL('..', import.meta.url));
const guideConfig = fileURLToPath(new URL('../../../docs/deploy/nginx.conf', import.meta.url));
const BACKENDS = ['reactor', 'pool', 'cluster'] as const;
/** The guide's fail_timeout. */
const FAIL_TIMEOUT_MS = 2_000;

interface Instance {
  backend: (typeof BACKENDS)[number];
  port: number;
  url: string;
  process?: ChildProcess;
}

let redis: RedisServer;
let nginx: Nginx;
const instances: Instance[] = [];

/** Starts `instance` with the CLI; resolves once it serves. */
async function start(instance: Instance): Promise<void> {
  const args = [bin, 'serve', 'dist/app.js', '--backend', instance.backend, '--port', String(instance.port), '--workers', '2'];
  args.push('--channel', redis.url, '--grace-ms', '5000');
  const env = { ...process.env };
  for (const key of ['SWITCHYARD_BACKEND', 'PORT', 'WEB_CONCURRENCY', 'NODE_PATH']) delete env[key];
  const child = spawn(process.execPath, args, { cwd: demoDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  instance.process = child;
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${instance.backend} did not start:\n${output}`)), 30_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk;
      if (/ serving dist\/app\.js at /.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk));
    child.once('exit', (code) => reject(new Error(`${instance.backend} exited with ${code}:\n${output}`)));
  });
}

/** SIGTERM, as a deploy does; resolves with the exit code once it has drained and exited. */
async function stop(instance: Instance): Promise<number | string | null> {
  const child = instance.process;
  if (!child || child.exitCode !== null || child.signalCode !== null) return child?.exitCode ?? child?.signalCode ?? null;
  const exited = once(child, 'exit') as Promise<[number | null, string | null]>;
  child.kill('SIGTERM');
  const [code, signal] = await exited;
  return code ?? signal;
}

/** The guide's nginx config with this test's instances and a loopback listen port. */
function guide(port: number): string {
  let next = 0;
  const config = readFileSync(guideConfig, 'utf8')
    .replace(/^(\s*)server 10\.0\.0\.\d+:3000(.*);$/gm, (_line, indent: string, rest: string) => `${indent}server 127.0.0.1:${instances[next++]!.port}${rest};`)
    .replace(/^(\s*)listen 80;$/m, `$1listen 127.0.0.1:${port};`);
  expect(next).toBe(instances.length);
  return config;
}

interface Load {
  /** The backend that answered each request so far, in order. */
  answers: string[];
  stop: () => Promise<{ ok: number; failed: string[] }>;
}

/** GETs /hello through nginx from `clients` loops until `stop()`; records who answered, and failures. */
function load(url: string, clients = 4): Load {
  let running = true;
  const answers: string[] = [];
  const failed: string[] = [];
  const loops = Array.from({ length: clients }, async () => {
    for (let n = 0; running && n < 100_000; n++) {
      try {
        const response = await fetch(`${url}/hello`);
        const text = await response.text();
        if (response.status === 200) answers.push(/\((\w+), worker/.exec(text)?.[1] ?? text);
        else failed.push(`status ${response.status}`);
      } catch (error) {
        failed.push(String((error as Error).cause ?? error));
      }
    }
  });
  return {
    answers,
    async stop() {
      running = false;
      await Promise.all(loops);
      return { ok: answers.length, failed };
    },
  };
}

/**
 * SIGTERM to `instance` while it serves a slow request (the demo's /idle,
 * whose head goes out at once, so it is known to be in the handler): the
 * request completes, nginx sends the traffic to the other instances
 * meanwhile, and the instance exits 0.
 */
async function drainWhileServing(instance: Instance, traffic: Load): Promise<void> {
  const slow = await fetch(`${instance.url}/idle?s=1`);
  expect(slow.status).toBe(200);
  const from = traffic.answers.length;
  const exited = stop(instance);
  expect(await slow.text()).toMatch(new RegExp(`^Held the connection for 1 s \\(${instance.backend}, worker \\d+\\)`));
  expect(await exited, instance.backend).toBe(0);
  const during = new Set(traffic.answers.slice(from));
  for (const other of instances) {
    if (other !== instance) expect([...during], `${other.backend} answered while ${instance.backend} drained`).toContain(other.backend);
  }
}

/** Established TCP connections to `ports` on 127.0.0.1, from /proc/net/tcp. */
function establishedTo(ports: number[]): number {
  const wanted = new Set(ports.map((port) => port.toString(16).toUpperCase().padStart(4, '0')));
  return readFileSync('/proc/net/tcp', 'utf8')
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields[3] === '01' && wanted.has(fields[2]?.split(':')[1] ?? '')).length;
}

beforeAll(async () => {
  ensureRedisServer();
  const nginxBin = ensureNginx();
  redis = await RedisServer.start();
  for (const backend of BACKENDS) {
    const port = await freePort();
    instances.push({ backend, port, url: `http://127.0.0.1:${port}` });
  }
  await Promise.all(instances.map(start));
  nginx = await runNginx(nginxBin, guide);
}, 180_000);

afterAll(async () => {
  await nginx?.stop();
  await Promise.all(instances.map(stop));
  await redis?.stop();
}, 60_000);

describe.runIf(process.platform === 'linux')('three instances behind nginx, as the deploy guide sets them up', { timeout: 90_000 }, () => {
  it('delivers a chat post made through nginx to event streams held by every instance, and streams through nginx unbuffered', async () => {
    const streams: EventStream[] = [];
    try {
      for (const instance of instances) streams.push(await openEventStream(`${instance.url}/chat/events`));
      streams.push(await openEventStream(`${nginx.url}/chat/events`));
      // The first event arrives while the stream stays open: nginx does not hold it back.
      for (const stream of streams) expect((await stream.next()).event).toBe('ready');
      const post = await fetch(`${nginx.url}/chat`, { method: 'POST', body: JSON.stringify({ name: 'ada', text: 'across machines' }) });
      expect(post.status).toBe(202);
      for (const stream of streams) expect((await stream.next()).data).toMatchObject({ name: 'ada', text: 'across machines' });
    } finally {
      for (const stream of streams) stream.close();
    }
  });

  it('keeps connections to the instances open between requests', async () => {
    for (let i = 0; i < 60; i++) expect((await fetch(`${nginx.url}/hello`)).status).toBe(200);
    // Without upstream keep-alive, nginx closes each connection after its request: none would stay established.
    const open = establishedTo(instances.map((instance) => instance.port));
    expect(open).toBeGreaterThan(0);
    expect(open).toBeLessThanOrEqual(32 * 2);
  });

  it('loses no request while an instance drains a slow one on SIGTERM, and none through a rolling restart of all three', async () => {
    const traffic = load(nginx.url);
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      await drainWhileServing(instances[1]!, traffic);
      await start(instances[1]!);
      for (const instance of instances) {
        // nginx left the last instance out for fail_timeout (2 s in the guide): wait it out, as the guide says.
        await new Promise((resolve) => setTimeout(resolve, FAIL_TIMEOUT_MS + 500));
        await drainWhileServing(instance, traffic);
        await start(instance);
      }
    } finally {
      const { ok, failed } = await traffic.stop();
      expect(failed).toEqual([]);
      expect(ok).toBeGreaterThan(100);
    }
  });
});
