import { request } from 'node:http';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/**
 * Sends a request with `path` exactly as written, on a fresh connection.
 * `fetch` normalises `..` and `%2e%2e` before sending, which would hide what
 * a server does with them; this does not.
 */
export function rawRequest(
  base: string,
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<RawResponse> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path, method: init.method ?? 'GET', headers: init.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

/**
 * POSTs `total` bytes in chunked encoding (no Content-Length), so the server
 * only learns the size as it reads. Stops sending once a response arrives:
 * a server refusing the body answers before it is all sent.
 */
export function postChunked(base: string, path: string, total: number): Promise<number> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = request({ host: hostname, port, path, method: 'POST', agent: false }, (res) => {
      answered = true;
      res.resume();
      resolve(res.statusCode!);
    });
    // After the answer, the server may close while bytes are still in flight.
    req.on('error', (error) => answered || reject(error));
    const chunk = Buffer.alloc(16 * 1024, 0x61);
    let sent = 0;
    const write = () => {
      while (sent < total && !answered) {
        const size = Math.min(chunk.byteLength, total - sent);
        sent += size;
        if (!req.write(chunk.subarray(0, size))) return void req.once('drain', write);
      }
      if (!answered) req.end();
    };
    write();
  });
}
