/**
 * Holds idle connections open against a server, from its own process so
 * the load generator in the runner is not starved by thousands of sockets.
 * Run by the runner (see idle.ts); commands arrive over IPC:
 *   { type: 'open', target }  open connections until `target` were tried, then report
 *   { type: 'status' }        report how many are held now
 *   { type: 'close' }         drop them all and exit
 */
import { connect, type Socket } from 'node:net';
import { fdLimit } from '../proc/tree.js';
import type { RequestSpec } from '../types.js';

interface Config {
  url: string;
  request: RequestSpec;
  heldWhen: 'head' | 'connect';
}

const config = JSON.parse(process.argv[2] ?? '{}') as Config;
const { hostname, port } = new URL(config.url);
const body = config.request.body === undefined ? undefined : Buffer.from(config.request.body as string);
const head =
  `${config.request.method ?? 'GET'} ${config.request.path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\n` +
  Object.entries({ accept: 'text/event-stream', ...config.request.headers })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('') +
  (body ? `content-length: ${body.byteLength}\r\n` : '') +
  '\r\n';

const sockets = new Set<Socket>();
let tried = 0;
let held = 0;
let failed = 0;
let pending = 0;
let lastChange = Date.now();
const changed = () => (lastChange = Date.now());

/** Sockets being opened at once: enough to be quick, few enough not to flood the accept queue. */
const PARALLEL = 200;

function openOne(): void {
  tried++;
  pending++;
  let state: 'pending' | 'held' | 'done' = 'pending';
  const socket = connect({ host: hostname, port: Number(port) });
  sockets.add(socket);
  const settle = (ok: boolean) => {
    if (state !== 'pending') return;
    pending--;
    state = ok ? 'held' : 'done';
    if (ok) held++;
    else failed++;
    changed();
  };
  socket.setNoDelay(true);
  socket.on('connect', () => {
    socket.write(head);
    if (body) socket.write(body);
    if (config.heldWhen === 'connect') settle(true);
  });
  let first = true;
  socket.on('data', (chunk: Buffer) => {
    if (!first) return;
    first = false;
    if (config.heldWhen === 'head') settle(/^HTTP\/1\.[01] 2\d\d/.test(chunk.toString('latin1', 0, 16)));
  });
  socket.on('error', () => {});
  socket.on('close', () => {
    sockets.delete(socket);
    if (state === 'held') {
      held--;
      failed++;
      state = 'done';
      changed();
    } else settle(false);
  });
}

async function openTo(target: number): Promise<void> {
  while (tried < target) {
    while (tried < target && pending < PARALLEL) openOne();
    await new Promise((resolve) => setTimeout(resolve, 5));
    // A server that stops answering (one that serves one connection at a time) must not stall us.
    if (Date.now() - lastChange > 2_000) break;
  }
  while (pending > 0 && Date.now() - lastChange < 2_000) await new Promise((resolve) => setTimeout(resolve, 20));
}

const report = (type: string) => process.send?.({ type, tried, held, failed, pending });

process.on('message', async (message: { type?: string; target?: number }) => {
  if (message?.type === 'open') {
    changed();
    await openTo(message.target ?? 0);
    report('opened');
  } else if (message?.type === 'status') report('status');
  else if (message?.type === 'close') {
    for (const socket of sockets) socket.destroy();
    process.exit(0);
  }
});
process.on('disconnect', () => process.exit(0));
process.stdout.write(`${JSON.stringify({ pid: process.pid, fdLimit: fdLimit() ?? null })}\n`);
