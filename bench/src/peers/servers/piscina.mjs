/**
 * A plain piscina offload: node:http on the main thread reads each request
 * and hands it to a piscina thread, which answers; the main thread writes
 * the answer. What a pool costs per request when nothing is tuned.
 */
import { createServer } from 'node:http';
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { listen } from './listen.mjs';

export default function start({ host, port, workers = availableParallelism() }) {
  const pool = new Piscina({ filename: new URL('./piscina-task.mjs', import.meta.url).href, minThreads: workers, maxThreads: workers });
  const server = createServer(async (req, res) => {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const body = chunks.length ? Buffer.concat(chunks).toString() : '';
    const answer = await pool.run({ method: req.method, url: req.url, body });
    res.writeHead(answer.status, { 'content-type': answer.type, 'content-length': Buffer.byteLength(answer.body) });
    res.end(answer.body);
  });
  return listen(server, { host, port }, () => pool.destroy());
}
