// Raw node:http with the same two routes, in one process or, with a worker
// count, under node:cluster's own round robin: the reference the backends
// are measured against. Usage: node raw.mjs <iterations> [processes]
import cluster from 'node:cluster';
import { createServer } from 'node:http';
import { burn } from './app.mjs';

const iterations = Number(process.argv[2]);
const processes = Number(process.argv[3] ?? 0);

if (processes > 0 && cluster.isPrimary) {
  for (let i = 0; i < processes; i++) cluster.fork();
  let listening = 0;
  cluster.on('listening', (worker, address) => {
    if (++listening === processes) console.log(`listening http://127.0.0.1:${address.port}`);
  });
  process.on('SIGTERM', () => {
    for (const worker of Object.values(cluster.workers)) worker.process.kill('SIGTERM');
    process.exit(0);
  });
} else {
  const server = createServer((req, res) => {
    if (req.url === '/hello') return res.end('hello world');
    if (req.url === '/cpu') return res.end(String(burn(iterations)));
    res.statusCode = 404;
    res.end('not found');
  });
  server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
    if (!cluster.isWorker) console.log(`listening http://127.0.0.1:${server.address().port}`);
  });
  process.on('SIGTERM', () => process.exit(0));
}
