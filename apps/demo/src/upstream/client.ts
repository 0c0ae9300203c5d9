import { Agent, get } from 'node:http';

export interface UpstreamReply {
  status: number;
  body: string;
  /** True when the request went out on a kept-alive connection. */
  reusedSocket: boolean;
}

/**
 * One keep-alive agent per process or thread: a request reuses an idle
 * connection to the upstream instead of paying a TCP handshake each time.
 * Idle sockets close after 30 s (or a second before the server's own
 * `Keep-Alive: timeout=` hint, if shorter), before the service closes them.
 */
export const upstreamAgent = new Agent({ keepAlive: true, timeout: 30_000 });

/** GETs `url` through the keep-alive agent and reads the whole body. */
export function getUpstream(url: URL, signal: AbortSignal, mayRetry = true): Promise<UpstreamReply> {
  return new Promise((resolve, reject) => {
    const req = get(url, { agent: upstreamAgent, signal }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), reusedSocket: req.reusedSocket }));
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      // The far end may close an idle connection just as it is reused; a GET
      // is safe to send once more on a fresh one (Node docs: request.reusedSocket).
      if (mayRetry && req.reusedSocket && error.code === 'ECONNRESET' && !signal.aborted) {
        resolve(getUpstream(url, signal, false));
      } else {
        reject(error);
      }
    });
  });
}

/** Says in words what went wrong talking to the upstream, for a 502 body. */
export function describeFailure(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ECONNREFUSED') return 'refused the connection (ECONNREFUSED)';
  if (code === 'ECONNRESET') return 'reset the connection (ECONNRESET)';
  if (code === 'ETIMEDOUT') return 'did not answer in time (ETIMEDOUT)';
  if (code === 'ENOTFOUND') return 'could not be found (ENOTFOUND)';
  const message = error instanceof Error ? error.message : String(error);
  return code ? `failed: ${message} (${code})` : `failed: ${message}`;
}
