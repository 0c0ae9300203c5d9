/**
 * The slow HTTP service `/upstream` calls: it answers after the latency each
 * request asks for, and says which connection carried the request, so a
 * client can see its keep-alive connections being reused. No Switchyard
 * import: it also runs on its own (`main.ts`) outside the server under test.
 *
 *   GET /?ms=50            answers after 50 ms: {"ms","connection","requestsOnConnection"}
 *   GET /?ms=50&fail=reset resets the connection (TCP RST) after 50 ms
 *   GET /?ms=50&fail=status answers 500 after 50 ms
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface UpstreamService {
  readonly url: string;
  close(): Promise<void>;
}

export interface UpstreamOptions {
  /** 0 picks a free port. */
  port?: number;
  host?: string;
}

const MAX_MS = 60_000;

interface ConnectionInfo {
  id: number;
  requests: number;
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export function startUpstream(options: UpstreamOptions = {}): Promise<UpstreamService> {
  const connections = new WeakMap<Socket, ConnectionInfo>();
  let opened = 0;

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const info = connections.get(req.socket)!;
    info.requests++;
    const query = new URL(req.url ?? '/', 'http://upstream').searchParams;
    const ms = Number(query.get('ms') ?? 0);
    if (!Number.isInteger(ms) || ms < 0 || ms > MAX_MS) {
      reply(res, 400, { error: `ms must be an integer from 0 to ${MAX_MS}` });
      return;
    }
    const fail = query.get('fail');
    const timer = setTimeout(() => {
      if (fail === 'reset') req.socket.resetAndDestroy();
      else if (fail === 'status') reply(res, 500, { error: 'failing on request (fail=status)' });
      else reply(res, 200, { ms, connection: info.id, requestsOnConnection: info.requests });
    }, ms);
    res.once('close', () => clearTimeout(timer));
  };

  const server = createServer(handle);
  // Outlive the clients' idle sockets, so a client never reuses a socket the
  // service is closing at that moment (the keep-alive ECONNRESET race).
  server.keepAliveTimeout = 65_000;
  server.on('connection', (socket: Socket) => connections.set(socket, { id: ++opened, requests: 0 }));

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      const { address, port } = server.address() as AddressInfo;
      const host = address.includes(':') ? `[${address}]` : address;
      let closed: Promise<void> | undefined;
      resolve({
        url: `http://${host}:${port}`,
        close: () =>
          (closed ??= new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          })),
      });
    });
  });
}
