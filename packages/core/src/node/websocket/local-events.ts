import type { ServerWebSocket, WebSocketHandler } from '../../types.js';
import type { SocketHost } from './host.js';
import type { HostedSocket, SocketEvents } from './socket.js';

type Handler = (this: WebSocketHandler<unknown>, ws: ServerWebSocket<unknown>, a?: unknown, b?: unknown) => unknown;

/**
 * Runs the app's `websocket` handlers in this context, on the socket
 * itself (reactor, cluster). A handler that throws or rejects closes its
 * own socket with 1011.
 */
export function localEvents(handler: WebSocketHandler<unknown>, host: SocketHost): SocketEvents {
  const run = (what: 'open' | 'message' | 'close' | 'drain', socket: HostedSocket, a?: unknown, b?: unknown) => {
    const fn = handler[what] as Handler | undefined;
    if (fn === undefined) return;
    try {
      // Called as a method, as Bun calls them: a handler object may use `this`.
      const result = fn.call(handler, socket, a, b) as Promise<unknown> | undefined;
      if (result !== undefined && typeof result?.then === 'function') result.then(undefined, (error: unknown) => host.failed(socket, what, error));
    } catch (error) {
      host.failed(socket, what, error);
    }
  };
  return {
    open: (socket) => run('open', socket),
    message: (socket, message) => run('message', socket, message),
    close: (socket, code, reason) => run('close', socket, code, reason),
    drain: (socket) => run('drain', socket),
  };
}
