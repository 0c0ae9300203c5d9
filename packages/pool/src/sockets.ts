/**
 * The main thread's side of a pool's WebSockets. The TCP socket and its
 * frames stay here (core's SocketHost); the app's handlers run on the
 * thread whose `fetch` accepted the upgrade, for the connection's whole
 * life, through the session it ran on. Two bounds keep one connection from
 * costing others:
 *
 * - in: at most READ_WINDOW messages (or bytes) sent to the thread and not
 *   yet handled; past that the socket stops reading, so a client that
 *   floods waits on its own TCP window while other connections' messages
 *   still reach the thread;
 * - out: the thread drops sends past `backpressureLimit` bytes this side
 *   has not written yet (thread-sockets.ts), and this side drops past the
 *   same limit queued on the socket, so a client that never reads costs at
 *   most that much, here and on the thread.
 *
 * A session that ends closes its sockets: 1011 when it failed, 1012 when
 * a reload replaced it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ChannelHub, Logger } from '@switchyard/core';
import { SocketHost, type SocketOptions } from '@switchyard/core/node';
import { Binding, type Unbinder } from './binding.js';
import { fromErrorData } from './errors.js';
import type { SessionLink } from './link.js';
import { SOCKET_EVENT, type SocketEventMessage, SocketEventKind, type SocketMessage, SocketOp } from './messages.js';

export class PoolSockets implements Unbinder {
  readonly host: SocketHost;
  readonly #bindings = new Map<number, Binding>();
  readonly #watched = new WeakSet<SessionLink>();
  /** Bindings with writes to report, sent once the current batch from the thread is done. */
  readonly #toReport = new Set<Binding>();
  #reportScheduled = false;

  constructor(options: SocketOptions, hub: ChannelHub, logger: Logger) {
    this.host = new SocketHost(options, hub, logger);
  }

  /**
   * The thread behind `link` accepted request `id` as a WebSocket:
   * complete the handshake and bind the connection to that session.
   */
  accept(id: number, link: SessionLink, req: IncomingMessage, res: ServerResponse, headers: string[] | undefined): boolean {
    const binding = new Binding(id, link, this);
    this.#bindings.set(id, binding);
    this.#watch(link);
    const accepted = this.host.accept(req, res, headers, undefined, binding);
    // Refused (the server is closing) or the client left mid-handshake: the thread forgets its socket.
    if (!accepted || !binding.socket) this.unbind(binding, 1006, '');
    return accepted;
  }

  #watch(link: SessionLink): void {
    if (this.#watched.has(link)) return;
    this.#watched.add(link);
    void link.ended.then(() => {
      for (const binding of this.#bindings.values()) {
        if (binding.link !== link) continue;
        if (link.closeAsked) binding.socket?.close(1012, 'server restarting');
        else binding.socket?.close(1011, 'worker thread ended');
      }
    });
  }

  unbind(binding: Binding, code: number, reason: string): void {
    if (this.#bindings.get(binding.id) !== binding) return;
    this.#bindings.delete(binding.id);
    this.#toReport.delete(binding);
    binding.post(SocketEventKind.Close, undefined, code, reason);
  }

  /** What the app did to a socket, from the thread it is bound to. */
  fromThread(message: SocketMessage): void {
    if (message.o === SocketOp.Publish) {
      this.host.publish(message.r!, message.d!, this.#bindings.get(message.c)?.socket);
      return;
    }
    const binding = this.#bindings.get(message.c);
    const socket = binding?.socket;
    if (!binding || !socket) return;
    switch (message.o) {
      case SocketOp.Send: {
        const data = message.d!;
        if (socket.send(data, message.n === 1) === -1) binding.pressured = true;
        binding.written += typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength;
        this.#report(binding);
        break;
      }
      case SocketOp.Ack:
        binding.acked(message.n ?? 0);
        break;
      case SocketOp.Close:
        socket.close(message.n, message.r);
        break;
      case SocketOp.Terminate:
        socket.terminate();
        break;
      case SocketOp.Subscribe:
        socket.subscribe(message.r!);
        break;
      case SocketOp.Unsubscribe:
        socket.unsubscribe(message.r!);
        break;
      case SocketOp.Ping:
        socket.ping(message.d);
        break;
      case SocketOp.Pong:
        socket.pong(message.d);
        break;
      case SocketOp.Failed:
        this.host.failed(socket, message.r ?? 'handler', message.error ? fromErrorData(message.error) : undefined);
        break;
    }
  }

  /** Tells the thread what of its sends went out, once per batch from it rather than once per send. */
  #report(binding: Binding): void {
    this.#toReport.add(binding);
    if (this.#reportScheduled) return;
    this.#reportScheduled = true;
    queueMicrotask(() => {
      this.#reportScheduled = false;
      for (const one of this.#toReport) {
        const message: SocketEventMessage = { t: SOCKET_EVENT, c: one.id, e: SocketEventKind.Written, n: one.written };
        if (one.pressured) message.p = true;
        one.link.post(message);
        one.written = 0;
        one.pressured = false;
      }
      this.#toReport.clear();
    });
  }
}
