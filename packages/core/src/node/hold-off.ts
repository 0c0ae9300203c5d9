import type { ServerResponse } from 'node:http';

/** Connections read again after a hold-off, until their next request is taken (`resumedAfterHoldOff`). */
const resumed = new WeakSet<object>();

/**
 * Once `res` is written, stops reading its connection for `ms`: a refused
 * client that asks again at once (a load generator, a retry loop that
 * ignores Retry-After) waits on its own connection, instead of costing the
 * server an accept, a parse, a refusal and a close per attempt, as it does
 * when the refusal closes the connection and the client reconnects. A
 * connection closed meanwhile is read, and its close seen, when the wait
 * ends; closing the server ends it at once (it has no request in flight).
 */
export function holdOffConnection(res: ServerResponse, ms: number): void {
  res.once('finish', () => {
    // Node detaches a kept-alive connection from its response as the response ends.
    const socket = res.socket ?? res.req.socket;
    if (!socket || socket.destroyed) return;
    // Registered after Node's own handler for the answer's end, which may resume reading for the next request.
    socket.pause();
    setTimeout(() => {
      if (socket.destroyed) return;
      resumed.add(socket);
      socket.resume();
    }, ms).unref();
  });
}

/**
 * True, once, for a connection read again after a hold-off. Its client may
 * have sent a request and closed while it waited; libuv stops reading a
 * socket when a read returns less than it asked for, so that close is read
 * by the poll after the one that read the request. A caller that waits
 * for that poll (`afterNextPoll`) knows whether the client is still there.
 */
export function resumedAfterHoldOff(socket: object): boolean {
  return resumed.delete(socket);
}

/** Runs `fn` in the check phase after the next poll of the event loop: a close sent behind what was just read has been read by then. */
export function afterNextPoll(fn: () => void): void {
  setImmediate(() => setImmediate(fn));
}
