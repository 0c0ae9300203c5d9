/**
 * A real redis-server for tests and benches: on a free port of 127.0.0.1,
 * without persistence, installed when missing, and stoppable and startable
 * again on the same port (an outage).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { connect, createServer } from 'node:net';
import { installPackages, which } from './apt.mjs';

/** Installs Debian's redis-server when the machine lacks it. */
export function ensureRedisServer() {
  if (!which('redis-server')) installPackages(['redis-server']);
}

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Resolves once something accepts connections on `port`; fails after `ms`. */
async function accepting(port, ms) {
  for (const deadline = Date.now() + ms; ; ) {
    const ok = await new Promise((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`redis-server did not accept connections on ${port} within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export class RedisServer {
  #process;

  constructor(port) {
    this.port = port;
  }

  static async start() {
    const server = new RedisServer(await freePort());
    await server.resume();
    return server;
  }

  get url() {
    return `redis://127.0.0.1:${this.port}`;
  }

  async resume() {
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'no'];
    this.#process = spawn('redis-server', args, { stdio: 'ignore' });
    await accepting(this.port, 10_000);
  }

  async stop() {
    const child = this.#process;
    this.#process = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  }
}
