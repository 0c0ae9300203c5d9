// The reference: node:http with no framework, answering what the app does.
import { work } from './work.mjs';

const iterations = Number(process.env.BENCH_CPU_ITERATIONS ?? 2_000_000);

function send(res, status, body) {
  res.writeHead(status, { 'content-type': 'text/plain;charset=UTF-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

export default function handler(req, res) {
  if (req.url === '/hello') return send(res, 200, 'Hello, World!');
  if (req.url === '/cpu') return send(res, 200, String(work(iterations)));
  if (req.url === '/cheap') return send(res, 200, 'ok');
  send(res, 404, 'not found');
}
