import { readFileSync } from 'node:fs';
import type { RunningServer } from '@switchyard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureNginx, runNginx, type Nginx } from './support/nginx.js';
import { startDemo } from './support/start-demo.js';

/**
 * docs/deploy/nginx-routing.conf, run: the demo as a reactor instance and a
 * pool instance, and nginx sending /cpu to the pool and the rest to the
 * reactor.
 */
const config = readFileSync(new URL('../../../docs/deploy/nginx-routing.conf', import.meta.url), 'utf8');

let reactor: RunningServer;
let pool: RunningServer;
let nginx: Nginx;
beforeAll(async () => {
  const nginxBin = ensureNginx();
  [reactor, pool] = await Promise.all([startDemo('reactor'), startDemo('pool')]);
  const addresses = [reactor.port, pool.port];
  nginx = await runNginx(nginxBin, (port) => {
    let next = 0;
    const routed = config
      .replace(/^(\s*)server 10\.0\.0\.\d+:3000;$/gm, (_line, indent: string) => `${indent}server 127.0.0.1:${addresses[next++]};`)
      .replace(/^(\s*)listen 80;$/m, `$1listen 127.0.0.1:${port};`);
    expect(next).toBe(2);
    return routed;
  });
}, 60_000);
afterAll(async () => {
  await nginx?.stop();
  await Promise.all([reactor?.close(), pool?.close()]);
});

describe('routing by kind of work through nginx', () => {
  it('sends /cpu to the pool instance and everything else to the reactor instance', async () => {
    for (let i = 0; i < 5; i++) {
      expect(await (await fetch(`${nginx.url}/hello`)).text()).toBe('Hello from Switchyard (reactor, worker 0)\n');
      const cpu = (await (await fetch(`${nginx.url}/cpu?ms=1`)).json()) as { workerId: number };
      // Pool threads are 1..3; the reactor's only context is 0.
      expect(cpu.workerId).toBeGreaterThan(0);
    }
    expect((await pool.stats()).requests).toBeGreaterThanOrEqual(5);
  });
});
