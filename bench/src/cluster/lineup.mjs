/**
 * The cluster runner's contenders and scenarios, as the @switchyard/bench
 * engine takes them: the same app under raw node:http (one process), raw
 * node:cluster (N processes), the reactor (one) and the cluster backend
 * (N), on hello world and a CPU-bound route.
 */
import { fileURLToPath } from 'node:url';
import { burn } from './app.mjs';

export const APP = fileURLToPath(new URL('./app.mjs', import.meta.url));
export const RAW_HANDLER = fileURLToPath(new URL('./raw.mjs', import.meta.url));
const NODE_CLUSTER = fileURLToPath(new URL('../peers/servers/node-cluster.mjs', import.meta.url));

export const CLUSTER_SCENARIO_NAMES = ['hello', 'cpu'];
export const CONTENDER_NAMES = ['raw', 'node-cluster', 'reactor', 'cluster'];

/** Iterations of `burn` that take about `ms` on this machine: after a JIT warm-up, the median of three calibrations. */
export function calibrate(ms) {
  const once = (target) => {
    let n = 100_000;
    for (;;) {
      const start = process.hrtime.bigint();
      burn(n);
      const took = Number(process.hrtime.bigint() - start) / 1e6;
      if (took > 50) return Math.max(1, Math.round((n * target) / took));
      n *= 2;
    }
  };
  once(1);
  return [once(ms), once(ms), once(ms)].sort((a, b) => a - b)[1];
}

/** The engine's models, contenders and pairs for `names` (raw always among them: it is the reference), with `processes` each. */
export function clusterLineup(names, processes) {
  const chosen = CONTENDER_NAMES.filter((name) => name === 'raw' || names.includes(name));
  const models = chosen.filter((name) => name !== 'node-cluster');
  const contenders = chosen.includes('node-cluster')
    ? {
        'node-cluster': {
          server: NODE_CLUSTER,
          options: { workers: processes, handler: RAW_HANDLER },
          note: `raw node:cluster x${processes}: the raw handler in each process, node:cluster's round robin`,
        },
      }
    : {};
  const modelNotes = {
    raw: 'raw node:http, one process: the reference',
    reactor: '@switchyard/reactor, one process',
    cluster: `@switchyard/cluster x${processes}: a primary and ${processes} processes, each a reactor`,
  };
  // × reactor beside × raw, for every contender, as the runner always reported.
  const pairs = chosen.includes('reactor') ? chosen.filter((name) => name !== 'reactor').map((name) => ({ model: name, over: 'reactor' })) : [];
  return { models, contenders, modelNotes: Object.fromEntries(models.map((m) => [m, modelNotes[m]])), pairs, names: chosen };
}

/** The engine's scenarios for `names`, with what each must answer. */
export function clusterScenarios(names, { connections, iterations, cpuMs }) {
  const all = [
    {
      name: 'hello',
      title: 'hello world',
      description: 'What each server costs per request, and how far processes scale it.',
      request: { path: '/hello' },
      expect: { status: 200, bodyMatches: '^hello world$' },
      connections,
    },
    {
      name: 'cpu',
      title: `~${cpuMs} ms of synchronous CPU per request`,
      description: `Each request runs ${iterations} iterations of a xorshift loop (about ${cpuMs} ms on this machine): what one process per core buys for CPU-bound work.`,
      request: { path: '/cpu' },
      expect: { status: 200, bodyMatches: `^${burn(iterations)}$` },
      connections,
    },
  ];
  return all.filter((s) => names.includes(s.name));
}
