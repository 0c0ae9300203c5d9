/**
 * The reference: the demo's benchmarked routes written against node:http
 * directly, with no framework in between. It does the same work as the
 * demo (the same CPU work of each kind, the same upstream client) and answers the same
 * bodies, so the ratios to it measure what the models add.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DEMO_DIST } from './paths.mjs';

const work = await import(pathToFileURL(resolve(DEMO_DIST, 'work/kinds.js')).href);
const { getUpstream, upstreamAgent } = await import(pathToFileURL(resolve(DEMO_DIST, 'upstream/client.js')).href);

const FILES = process.env.DEMO_FILES_DIR ?? '';
const UPSTREAM = process.env.DEMO_UPSTREAM_URL;

function json(res, status, value) {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function text(res, status, body) {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

const number = (url, name, fallback) => {
  const value = Number(url.searchParams.get(name) ?? fallback);
  return Number.isFinite(value) ? value : fallback;
};

async function file(req, res, name) {
  // Plain names only: nothing outside the directory.
  if (!/^[\w.-]+$/.test(name) || name.startsWith('.')) return text(res, 404, 'Not found\n');
  const path = join(FILES, name);
  let info;
  try {
    info = await stat(path);
  } catch {
    return text(res, 404, 'Not found\n');
  }
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': info.size, 'last-modified': info.mtime.toUTCString() });
  createReadStream(path).pipe(res);
}

function upload(req, res) {
  const hash = createHash('sha256');
  let bytes = 0;
  req.on('data', (chunk) => {
    bytes += chunk.length;
    hash.update(chunk);
  });
  req.on('end', () => json(res, 200, { bytes, sha256: hash.digest('hex'), workerId: 0 }));
}

async function upstream(req, res, ms) {
  const target = new URL(UPSTREAM);
  target.searchParams.set('ms', String(ms));
  const controller = new AbortController();
  res.on('close', () => controller.abort());
  try {
    const reply = await getUpstream(target, controller.signal);
    if (reply.status !== 200) return text(res, 502, `Bad gateway: the upstream service answered ${reply.status}\n`);
    json(res, 200, { ms, upstream: JSON.parse(reply.body), reusedConnection: reply.reusedSocket, workerId: 0 });
  } catch (error) {
    if (!res.headersSent) text(res, 502, `Bad gateway: ${error.message}\n`);
  }
}

function idle(req, res, seconds) {
  res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
  res.flushHeaders();
  const timer = setTimeout(() => res.end(`Held the connection for ${seconds} s (raw, worker 0)\n`), seconds * 1000);
  res.on('close', () => clearTimeout(timer));
}

export default function handler(req, res) {
  const url = new URL(req.url, 'http://localhost');
  switch (url.pathname) {
    case '/hello':
      return text(res, 200, 'Hello from Switchyard (raw, worker 0)\n');
    case '/cpu': {
      const ms = number(url, 'ms', 2);
      const kind = url.searchParams.get('kind') ?? 'hash';
      if (!work.isCpuKind(kind)) return text(res, 400, `kind must be one of ${work.CPU_KINDS.join(', ')}\n`);
      return json(res, 200, { ms, kind, ...work.cpuWork(kind, ms), workerId: 0 });
    }
    case '/io': {
      const ms = number(url, 'ms', 50);
      const started = performance.now();
      const timer = setTimeout(() => json(res, 200, { ms, waitedMs: Math.round(performance.now() - started), workerId: 0 }), ms);
      res.on('close', () => clearTimeout(timer));
      return;
    }
    case '/upstream':
      return void upstream(req, res, number(url, 'ms', 50));
    case '/upload':
      return upload(req, res);
    case '/idle':
      return idle(req, res, number(url, 's', 30));
    default:
      if (url.pathname.startsWith('/files/')) return void file(req, res, decodeURIComponent(url.pathname.slice(7)));
      return text(res, 404, `No route for ${url.pathname}\n`);
  }
}

/** Runs once before traffic, like the demo's setup: the calibrations are pinned by the runner. */
export function setup() {
  work.calibrateAll();
}

export function teardown() {
  upstreamAgent.destroy();
}
