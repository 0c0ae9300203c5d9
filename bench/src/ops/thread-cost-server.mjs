/**
 * A server for the serving-thread measurement (thread-cost.mjs), in a
 * process of its own: it serves the hello app under BACKEND with MODE
 * (off, metrics, log) and, asked over IPC, reports the CPU time so far of
 * the threads that serve (the main thread of the process, or of each
 * cluster process: their thread id is their pid) and of every thread of
 * every process, from /proc, with the request count.
 */
import { readFileSync } from 'node:fs';
import { serve } from '@switchyard/core';

const { BACKEND: backend, MODE: mode, APP: app, WORKERS: workers } = process.env;
const extra = mode === 'log' ? { log: 'info' } : mode === 'metrics' ? { metrics: '/metrics' } : {};
const server = await serve({ backend, app, port: 0, signals: false, ...(workers && { workers: Number(workers) }), ...extra });

/** utime + stime of a /proc stat file, in ms (clock ticks of 10 ms). */
function cpuMs(path) {
  const fields = readFileSync(path, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function reading() {
  const stats = await server.stats();
  const pids = backend === 'cluster' ? stats.workers.map((w) => w.pid) : [process.pid];
  const serving = pids.reduce((sum, pid) => sum + cpuMs(`/proc/${pid}/task/${pid}/stat`), 0);
  const all = [process.pid, ...(backend === 'cluster' ? pids : [])].reduce((sum, pid) => sum + cpuMs(`/proc/${pid}/stat`), 0);
  return { requests: stats.requests, servingMs: serving, allMs: all, pids };
}

process.on('message', async (message) => {
  if (message === 'read') process.send(await reading());
  else if (message === 'close') {
    await server.close();
    process.exit(0);
  }
});
process.send({ url: server.url });
