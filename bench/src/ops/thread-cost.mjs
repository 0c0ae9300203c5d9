/**
 * Where the cost of metrics and access logs lands: CPU per request of the
 * threads that serve (a process's main thread, or each cluster process's)
 * and of the whole server (the log thread, pool threads, the primary),
 * for each backend off, with metrics and with access logs, over a timed
 * load, median of `runs`. On a machine whose cores are all busy (this
 * bench's load generator takes one of two), any thread's CPU comes out of
 * throughput; with a core to spare, only the serving thread's does.
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { fmtFixed } from '@switchyard/bench';
import { APP } from './lineup.mjs';

const SERVER = fileURLToPath(new URL('./thread-cost-server.mjs', import.meta.url));
export const MODES = ['off', 'metrics', 'log'];

function ask(child) {
  child.send('read');
  return once(child, 'message').then(([message]) => message);
}

async function measure(backend, mode, { seconds, connections, workers }) {
  const child = fork(SERVER, [], {
    env: { ...process.env, BACKEND: backend, MODE: mode, APP, ...(workers && { WORKERS: String(workers) }) },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  try {
    const [{ url }] = await once(child, 'message');
    // Warm up, then measure.
    await autocannon({ url: `${url}/hello`, connections, duration: 1 });
    const before = await ask(child);
    await autocannon({ url: `${url}/hello`, connections, duration: seconds });
    const after = await ask(child);
    const requests = after.requests - before.requests;
    return { servingUs: ((after.servingMs - before.servingMs) * 1000) / requests, allUs: ((after.allMs - before.allMs) * 1000) / requests, requests };
  } finally {
    child.send('close');
    await once(child, 'exit');
  }
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** `{ backend: { mode: { servingUs, allUs } } }`, medians over `runs` rounds in rotating order. */
export async function threadCosts(backends, { runs = 3, seconds = 4, connections = 64, workers, log = () => {} } = {}) {
  const samples = {};
  for (let round = 0; round < runs; round++) {
    for (const backend of backends) {
      for (const mode of [...MODES.slice(round % MODES.length), ...MODES.slice(0, round % MODES.length)]) {
        log(`bench:ops: serving-thread CPU, ${backend} ${mode}, round ${round + 1}`);
        ((samples[backend] ??= {})[mode] ??= []).push(await measure(backend, mode, { seconds, connections, workers }));
      }
    }
  }
  const result = {};
  for (const [backend, modes] of Object.entries(samples)) {
    result[backend] = Object.fromEntries(
      Object.entries(modes).map(([mode, list]) => [mode, { servingUs: median(list.map((s) => s.servingUs)), allUs: median(list.map((s) => s.allUs)) }]),
    );
  }
  return result;
}

/** The figures as a markdown section: µs per request, and off's over each mode's (the throughput ratio if that CPU were the limit). */
export function threadCostReport(costs) {
  const lines = [
    '## Where the cost lands: CPU per request',
    '',
    "Serving threads: each process's main thread (the reactor, the pool's main thread, each cluster process). All: every thread of every process. A ratio is off's CPU per request over the mode's: the throughput ratio when that CPU is what limits.",
    '',
    '| backend | serving µs/req off | metrics | log | serving ratio metrics | serving ratio log | all µs/req off | metrics | log | all ratio metrics | all ratio log |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const [backend, m] of Object.entries(costs)) {
    const r = (key, mode) => fmtFixed(m.off[key] / m[mode][key]);
    lines.push(
      `| ${backend} | ${m.off.servingUs.toFixed(1)} | ${m.metrics.servingUs.toFixed(1)} | ${m.log.servingUs.toFixed(1)} | ${r('servingUs', 'metrics')} | ${r('servingUs', 'log')} | ${m.off.allUs.toFixed(1)} | ${m.metrics.allUs.toFixed(1)} | ${m.log.allUs.toFixed(1)} | ${r('allUs', 'metrics')} | ${r('allUs', 'log')} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}
