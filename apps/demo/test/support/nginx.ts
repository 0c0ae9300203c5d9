import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installPackages, which } from './system-packages.js';

/** The nginx binary; the demo's global setup installed it when it was missing. */
export function ensureNginx(): string {
  if (!which('nginx')) installPackages(['nginx']);
  const found = which('nginx');
  if (!found) throw new Error('nginx is not on PATH after installing it');
  return found;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => resolve(true));
    socket.on('error', () => resolve(false));
    socket.on('connect', () => socket.destroy());
  });
}

export interface Nginx {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts nginx in the foreground on a loopback port, proxying to `upstream`
 * and serving `internalPrefix` from `dir` for X-Accel-Redirect only. Its pid
 * file, logs and temp files live in a temp directory removed on stop.
 */
export async function startNginx(options: { nginx: string; upstream: string; internalPrefix: string; dir: string }): Promise<Nginx> {
  return runNginx(
    options.nginx,
    (port) => `server {
        listen 127.0.0.1:${port};
        location ${options.internalPrefix} {
            internal;
            alias ${options.dir}/;
        }
        location / {
            proxy_pass ${options.upstream};
            proxy_http_version 1.1;
            proxy_set_header Connection "";
        }
    }`,
  );
}

/**
 * Runs nginx in the foreground with `http(port)` as the body of its `http`
 * block, `port` being a free loopback port it must listen on. Its pid file,
 * logs and temp files live in a temp directory removed on stop.
 */
export async function runNginx(nginx: string, http: (port: number) => string): Promise<Nginx> {
  const prefix = await mkdtemp(join(tmpdir(), 'demo-nginx-'));
  await mkdir(join(prefix, 'logs'));
  const port = await freePort();
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((kind) => `${kind}_temp_path ${join(prefix, kind)};`).join('\n    ');
  const config = join(prefix, 'nginx.conf');
  await writeFile(
    config,
    `daemon off;
worker_processes 1;
pid ${join(prefix, 'nginx.pid')};
error_log stderr warn;
events { worker_connections 256; }
http {
    access_log off;
    include /etc/nginx/mime.types;
    ${temp}
    ${http(port)}
}
`,
  );
  const child = spawn(nginx, ['-p', prefix, '-c', config, '-e', 'stderr'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  for (let i = 0; !(await accepts(port)); i++) {
    if (child.exitCode !== null || i > 100) {
      child.kill('SIGKILL');
      throw new Error(`nginx did not start: ${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        // SIGQUIT: nginx's graceful shutdown.
        child.kill('SIGQUIT');
        await exited;
      }
      await rm(prefix, { recursive: true, force: true });
    },
  };
}
