// Starts one contender and prints its URL: `node server.mjs <raw|reactor|pool> <app.mjs>`.
// Each contender runs in its own process, so they never share an event loop.
import { createServer } from 'node:http';

const [contender, appPath] = process.argv.slice(2);
const app = new URL(appPath, `file://${process.cwd()}/`);

async function raw() {
  // The baseline: node:http with no framework, answering what the app would.
  const { work } = await import('./apps/work.mjs');
  const iterations = Number(process.env.BENCH_CPU_ITERATIONS ?? 2_000_000);
  const cpu = appPath.endsWith('cpu.mjs');
  const server = createServer((req, res) => {
    const body = cpu ? (req.url === '/cpu' ? String(work(iterations)) : 'ok') : 'Hello, World!';
    res.writeHead(200, { 'content-type': 'text/plain;charset=UTF-8', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${server.address().port}`;
}

let url;
if (contender === 'raw') url = await raw();
else {
  const { serve } = await import(contender === 'reactor' ? '@switchyard/reactor' : '@switchyard/pool');
  const workers = process.env.BENCH_WORKERS ? Number(process.env.BENCH_WORKERS) : undefined;
  const pool = process.env.BENCH_POOL ? JSON.parse(process.env.BENCH_POOL) : undefined;
  const server = await serve({ app, port: 0, workers, pool, limits: { maxQueue: 100_000 } });
  url = server.url;
}
process.stdout.write(`${url}\n`);
