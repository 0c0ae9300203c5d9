/**
 * One model's (or contender's) server, run as its own child process. It reads what to run
 * from SWITCHYARD_BENCH_SERVER, listens on 127.0.0.1 port 0 (or the spec's), prints one
 * JSON line `{ url, metricsUrl, pid, fdLimit }`, answers `usage` over IPC with its own
 * CPU time and memory (used where /proc is missing) and `stats` with the
 * server's `stats()` (null where it has none), and exits on `close`,
 * SIGTERM, or when the runner goes away.
 */
import { isBackendModel } from '../models.js';
import { fdLimit } from '../proc/tree.js';
import { startBackend } from './backend.js';
import { startServerModule } from './module.js';
import { startRaw } from './raw.js';
import { startSequential } from './sequential.js';
import { SPEC_ENV, type ServerSpec, type StartedServer } from './spec.js';

const spec = JSON.parse(process.env[SPEC_ENV] ?? '{}') as ServerSpec;
delete process.env[SPEC_ENV];

let server: StartedServer;
try {
  if (spec.model === 'raw') server = await startRaw(spec.rawHandler!);
  else if (spec.model === 'sequential') server = await startSequential(spec);
  else if (spec.model === 'server') server = await startServerModule(spec.server!, spec.options);
  else if (isBackendModel(spec.model)) server = await startBackend({ ...spec, model: spec.model });
  else throw new TypeError(`unknown model ${JSON.stringify(spec.model)}`);
} catch (error) {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
}

process.stdout.write(`${JSON.stringify({ url: server.url, metricsUrl: server.metricsUrl ?? null, pid: process.pid, fdLimit: fdLimit() ?? null })}\n`);

let exiting = false;
async function exit(): Promise<void> {
  if (exiting) return;
  exiting = true;
  const force = setTimeout(() => process.exit(0), 3_000);
  force.unref();
  try {
    await server.close();
  } finally {
    process.exit(0);
  }
}

process.on('SIGTERM', () => void exit());
process.on('disconnect', () => void exit());
process.on('message', (message: { type?: string; id?: number }) => {
  if (message?.type === 'usage') {
    const cpu = process.cpuUsage();
    process.send?.({
      type: 'usage',
      id: message.id,
      cpuMs: (cpu.user + cpu.system) / 1000,
      rssBytes: process.memoryUsage.rss(),
      // maxRSS is in KiB: the peak since the process started.
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
    });
  } else if (message?.type === 'stats') {
    const reply = (stats: unknown) => process.send?.({ type: 'stats', id: message.id, stats });
    if (!server.stats) reply(null);
    else server.stats().then(reply, () => reply(null));
  } else if (message?.type === 'close') {
    void exit();
  }
});
