#!/usr/bin/env node
/**
 * `pnpm bench:aborts`: memory after many aborted streamed responses, against
 * the same number completed, per backend. Each mode gets a fresh server;
 * the figure is the RSS of its whole process tree (every cluster process)
 * a moment after the last request, and its ratio to the completed mode's.
 *
 *   complete      read 1 MiB streams (16 x 64 KiB) to the end
 *   abort         close the connection after the first chunk of an endless stream
 *   abort-early   close it 1 ms after sending the request, before the head comes
 *   abort-timer   close it 20 ms into a stream pushed from a timer (an SSE feed)
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { request } from 'node:http';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { treeUsage } from '@switchyard/bench';
import { commandFlags, list, number, runAsScript } from '../cli-kit.mjs';

const MODES = {
  complete: { path: '/?chunks=16', abort: 'never' },
  abort: { path: '/?chunks=1000000', abort: 'first-chunk' },
  'abort-early': { path: '/?chunks=1000000', abort: 1 },
  'abort-timer': { path: '/?timer=1', abort: 20 },
};
const SERVE = fileURLToPath(new URL('./serve.mjs', import.meta.url));

function one(port, { path, abort }) {
  return new Promise((resolve) => {
    const req = request({ port, host: '127.0.0.1', path, agent: false }, (res) => {
      res.on('error', () => resolve());
      if (abort === 'first-chunk') res.once('data', () => (req.destroy(), resolve()));
      else if (abort === 'never') res.resume().on('end', resolve);
    });
    req.on('error', () => resolve());
    req.end();
    if (typeof abort === 'number') setTimeout(() => (req.destroy(), resolve()), abort);
  });
}

async function load(port, mode, requests, concurrency) {
  let started = 0;
  const worker = async () => {
    while (started < requests) {
      started++;
      await one(port, mode);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

async function measure(backend, modeName, { requests, concurrency, workers, settleMs }) {
  const child = spawn(process.execPath, [SERVE, backend, String(workers)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = await once(createInterface({ input: child.stdout }), 'line');
  const port = Number(line);
  const before = treeUsage(child.pid).rssBytes;
  const startedAt = performance.now();
  await load(port, MODES[modeName], requests, concurrency);
  const seconds = (performance.now() - startedAt) / 1000;
  await new Promise((resolve) => setTimeout(resolve, settleMs));
  const after = treeUsage(child.pid).rssBytes;
  child.kill('SIGTERM');
  await once(child, 'exit');
  return { backend, mode: modeName, requests, seconds, beforeMiB: before / 2 ** 20, afterMiB: after / 2 ** 20 };
}

const BACKENDS = ['reactor', 'pool', 'cluster'];

const HELP = `Usage: pnpm bench:aborts [options]      (from bench/: node src/soak/aborts.mjs [options])

Memory after many aborted streamed responses, against the same number completed.

  --backends LIST     some of ${BACKENDS.join(', ')} (default: all)
  --modes LIST        some of ${Object.keys(MODES).join(', ')} (default: all; complete always runs)
  --requests N        responses per mode (default 20000)
  --concurrency N     requests at a time (default 50)
  --workers N         threads or processes (default 2)
  --settle MS         wait after the last request before RSS is read (default 2000)
  -h, --help          this help`;

export async function main(argv = process.argv.slice(2), print = (text) => process.stdout.write(text)) {
  const values = commandFlags(
    argv,
    {
      requests: { type: 'string', default: '20000' },
      concurrency: { type: 'string', default: '50' },
      workers: { type: 'string', default: '2' },
      backends: { type: 'string', default: BACKENDS.join(',') },
      modes: { type: 'string', default: Object.keys(MODES).join(',') },
      settle: { type: 'string', default: '2000' },
    },
    HELP,
    print,
  );
  if (!values) return [];
  const settings = {
    requests: number('requests', values.requests, { integer: true, min: 1 }),
    concurrency: number('concurrency', values.concurrency, { integer: true, min: 1 }),
    workers: number('workers', values.workers, { integer: true, min: 1 }),
    settleMs: number('settle', values.settle),
  };
  const modes = list('modes', values.modes, Object.keys(MODES));
  if (!modes.includes('complete')) modes.unshift('complete');
  const rows = [];
  for (const backend of list('backends', values.backends, BACKENDS)) {
    for (const mode of modes) {
      process.stderr.write(`aborts: ${backend} ${mode} x ${settings.requests}\n`);
      rows.push(await measure(backend, mode, settings));
    }
  }
  const lines = [
    `RSS of the server's process tree after ${settings.requests} streamed responses per mode (concurrency ${settings.concurrency}, ${settings.workers} workers, measured ${settings.settleMs} ms after the last), Node ${process.versions.node}`,
    '',
    '| backend | mode | RSS at start | RSS after | × complete |',
    '| --- | --- | ---: | ---: | ---: |',
  ];
  for (const row of rows) {
    const complete = rows.find((r) => r.backend === row.backend && r.mode === 'complete');
    row.ratio = row.afterMiB / complete.afterMiB;
    lines.push(`| ${row.backend} | ${row.mode} | ${row.beforeMiB.toFixed(0)} MiB | ${row.afterMiB.toFixed(0)} MiB | ${row.ratio.toFixed(2)} |`);
  }
  print(`${lines.join('\n')}\n`);
  return rows;
}

await runAsScript(import.meta.url, () => main(), HELP, 'bench:aborts');
