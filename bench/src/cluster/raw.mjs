// Raw node:http with the same two routes: the reference the backends are
// measured against, run by the engine's raw model in one process and, under
// node:cluster's own round robin, by ../peers/servers/node-cluster.mjs.
import { burn } from './app.mjs';

const iterations = Number(process.env.BENCH_CPU_ITERATIONS ?? 1_000_000);

export default function handler(req, res) {
  if (req.url === '/hello') return res.end('hello world');
  if (req.url === '/cpu') return res.end(String(burn(iterations)));
  res.statusCode = 404;
  res.end('not found');
}
