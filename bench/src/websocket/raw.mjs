/**
 * The reference: the `ws` package on a plain `node:http` server, as its
 * README shows it (`new WebSocketServer({ server })`), doing what the
 * bench's app does: /echo sends every message back, /idle sockets get each
 * POST /publish, sent by a loop over them, stamped like the app's.
 */
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';

const now = () => performance.timeOrigin + performance.now();

export function rawServer() {
  const idle = new Set();
  const server = createServer((req, res) => {
    if (req.method === 'POST' && req.url === '/publish') {
      let seq = '';
      req.setEncoding('utf8');
      req.on('data', (chunk) => (seq += chunk));
      req.on('end', () => {
        const text = `${seq} ${now()}`;
        for (const ws of idle) ws.send(text);
        res.end('published');
      });
      return;
    }
    res.end('ok');
  });
  const wss = new WebSocketServer({ server });
  wss.on('connection', (ws, req) => {
    if (req.url === '/idle') {
      idle.add(ws);
      ws.on('close', () => idle.delete(ws));
    } else ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
  });
  return {
    server,
    close: () =>
      new Promise((resolve) => {
        for (const ws of wss.clients) ws.terminate();
        wss.close();
        server.close(() => resolve());
      }),
  };
}
