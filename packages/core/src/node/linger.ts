import type { ServerResponse } from 'node:http';

/** How long, and how much of the unread body, a refused request may still send before its connection ends. */
export const LINGER_MS = 2_000;
export const LINGER_BYTES = 64 * 1024 * 1024;

/**
 * Sends an answer to a request whose body will not be read, then ends the
 * connection only once the client has stopped sending, it has sent
 * LINGER_BYTES more, or LINGER_MS have passed. Closing a socket with unread
 * bytes in it makes the kernel send a reset, and a client still writing its
 * body would get that reset instead of the answer (nginx's "lingering close"
 * solves the same problem). The answer goes out at once, complete (it has
 * a Content-Length); only the end of the response, which closes, waits.
 */
export function lingerThenEnd(res: ServerResponse, body: string): void {
  const req = res.req;
  res.write(body);
  let discarded = 0;
  let timer: NodeJS.Timeout | undefined;
  const end = () => {
    clearTimeout(timer);
    req.off('data', onData);
    req.off('end', end);
    res.off('close', end);
    if (!res.writableEnded) res.end();
  };
  const onData = (chunk: Buffer) => {
    discarded += chunk.byteLength;
    if (discarded > LINGER_BYTES) end();
  };
  // Whoever read the body until now (a reader that stopped at the limit) is done with it.
  req.removeAllListeners('data');
  req.on('data', onData);
  req.once('end', end);
  res.once('close', end);
  req.resume();
  timer = setTimeout(end, LINGER_MS);
  timer.unref();
}
