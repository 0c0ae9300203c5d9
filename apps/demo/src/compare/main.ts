/**
 * `SWITCHYARD_BACKEND=compare`: the demo under every installed backend, each
 * in its own process on consecutive ports after the compare page's own
 * (PORT + 1, + 2, ...), and the page that loads them side by side.
 *
 * Environment: PORT (default 3000), HOST (default 127.0.0.1),
 * WEB_CONCURRENCY (threads or processes per backend), COMPARE_DURATION and
 * COMPARE_WARMUP (seconds per backend of each run; default 5 and 1),
 * COMPARE_OUT (where reports go; default a folder under the system's temp).
 */
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { kDefaultSequential, type ModelName, serverSpec, startModel } from '@switchyard/bench';
import { reusePortMissing } from '@switchyard/threads';
import type { Backend } from './runs.js';
import { Runs } from './runs.js';
import { createCompareServer } from './server.js';

const demoDir = fileURLToPath(new URL('../..', import.meta.url));
const app = fileURLToPath(new URL('../app.js', import.meta.url));
// Threads only where this Node shares a port among listeners (22.12 and later).
const CANDIDATES: ModelName[] = reusePortMissing() ? ['reactor', 'pool', 'cluster'] : ['reactor', 'pool', 'cluster', 'threads'];

function seconds(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new TypeError(`${name} must be a number of seconds >= 0 (got ${JSON.stringify(raw)})`);
  return value;
}

/** The backends this install can start: `@switchyard/<name>` resolves from the demo. */
function installed(): ModelName[] {
  const require = createRequire(join(demoDir, 'package.json'));
  return CANDIDATES.filter((name) => {
    try {
      require.resolve(`@switchyard/${name}/package.json`);
      return true;
    } catch {
      return false;
    }
  });
}

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST || '127.0.0.1';
const workers = process.env.WEB_CONCURRENCY ? Number(process.env.WEB_CONCURRENCY) : undefined;
const duration = seconds('COMPARE_DURATION', 5);
const warmup = seconds('COMPARE_WARMUP', 1);
const outDir = process.env.COMPARE_OUT || mkdtempSync(join(tmpdir(), 'switchyard-compare-'));
if (!Number.isInteger(port) || port < 0 || port > 65535 - CANDIDATES.length) throw new TypeError(`PORT must be a port number (got ${process.env.PORT})`);

const { SWITCHYARD_BACKEND: _picked, ...env } = process.env as Record<string, string>;
const backends: Backend[] = [];
const stopAll = () => Promise.all(backends.map((backend) => backend.process.stop().catch(() => {})));
try {
  for (const [i, name] of installed().entries()) {
    const spec = { ...serverSpec(name, { app, sequential: kDefaultSequential, resolveFrom: demoDir, ...(workers && { workers }) }), host };
    // Port 0 gives each backend a free port of its own; otherwise they follow the page's.
    const process_ = await startModel(port === 0 ? spec : { ...spec, port: port + i + 1 }, env, {
      fdLimit: 8192,
      onLine: (line) => console.error(`[${name}] ${line}`),
    });
    backends.push({ name, process: process_ });
  }
} catch (error) {
  await stopAll();
  throw error;
}

const runs = new Runs(backends, { app, outDir, duration, warmup, everyMs: 500 });
const server = createCompareServer(backends, runs, outDir);
server.listen(port, host);
await once(server, 'listening');
const address = server.address() as { port: number };
const url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
console.log(`Switchyard compare: ${url}`);
for (const backend of backends) console.log(`  ${backend.name.padEnd(8)} ${backend.process.url}`);
console.log(`  reports in ${outDir}`);

let closing = false;
async function close(): Promise<void> {
  if (closing) return;
  closing = true;
  server.closeAllConnections();
  server.close();
  await stopAll();
  process.exit(0);
}
process.on('SIGINT', () => void close());
process.on('SIGTERM', () => void close());
// Started through npx or pnpm, the page and its backends stop once that process exits, as `switchyard serve` does.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) void close();
}, 1_000).unref();
