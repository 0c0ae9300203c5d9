/**
 * nginx in the foreground for the deploy benches, with one of the deploy
 * guide's configs (docs/deploy/) and this run's addresses in it, installed
 * when missing (test-support/apt.mjs).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installPackages, which } from '../../../test-support/apt.mjs';
import { freePort, sleep } from '../load-kit.mjs';

export const GUIDE = new URL('../../../docs/deploy/', import.meta.url);

export function ensureNginx() {
  if (!which('nginx')) installPackages(['nginx']);
  return which('nginx');
}

/** The guide's config `name` with its `server 10.0.0.x:3000` lines pointing at `ports`, in order, and listening on `port`. */
export function guideConfig(name, ports, port) {
  let next = 0;
  const config = readFileSync(new URL(name, GUIDE), 'utf8')
    .replace(/^(\s*)server 10\.0\.0\.\d+:3000(.*);$/gm, (_line, indent, rest) => `${indent}server 127.0.0.1:${ports[next++]}${rest};`)
    .replace(/^(\s*)listen 80;$/m, `$1listen 127.0.0.1:${port};`);
  if (next !== ports.length) throw new Error(`${name} names ${next} instances, not ${ports.length}`);
  return config;
}

const accepts = (port) =>
  new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });

/** Starts nginx with `http(port)` as its http block's body; resolves with its port and a stop function. */
export async function runNginx(nginx, http) {
  const prefix = mkdtempSync(join(tmpdir(), 'bench-nginx-'));
  mkdirSync(join(prefix, 'logs'));
  const port = await freePort();
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((kind) => `${kind}_temp_path ${join(prefix, kind)};`).join('\n');
  const config = join(prefix, 'nginx.conf');
  writeFileSync(
    config,
    `daemon off;\nworker_processes 1;\npid ${join(prefix, 'nginx.pid')};\nerror_log stderr error;\nevents { worker_connections 4096; }\nhttp {\naccess_log off;\n${temp}\n${http(port)}\n}\n`,
  );
  const child = spawn(nginx, ['-p', prefix, '-c', config, '-e', 'stderr'], { stdio: ['ignore', 'ignore', 'inherit'] });
  for (let i = 0; !(await accepts(port)); i++) {
    if (child.exitCode !== null || i > 100) throw new Error('nginx did not start');
    await sleep(50);
  }
  return {
    port,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGQUIT');
        await once(child, 'exit');
      }
      rmSync(prefix, { recursive: true, force: true });
    },
  };
}
