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
import { type HostedSocket, type SocketEvents, SocketHost, type SocketOptions } from '@switchyard/core/node';
import { fromErrorData } from './errors.js';
import type { SessionLink } from './link.js';
import { SOCKET_EVENT, type SocketEventMessage, SocketEventKind, type SocketMessage, SocketOp } from './messages.js';
import { portable } from './thread-sockets.js';

/** Messages (or bytes) a connection may have on its thread unhandled before the socket stops reading. */
const READ_WINDOW = 32;
const READ_WINDOW_BYTES = 1024 * 1024;

interface Binding {
  readonly id: number;
  readonly link: SessionLink;
  socket: HostedSocket | undefined;
  unhandled: number;
  unhandledBytes: number;
  /** Messages read past the window (what one read from the socket held), sent on as the thread catches up. */
  backlog: Array<string | Uint8Array>;
  paused: boolean;
  /** Bytes of the thread's sends written here since the last report to it, and whether one needed a drain. */
  written: number;
  pressured: boolean;
}

export class PoolSockets {
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
    const binding: Binding = { id, link, socket: undefined, unhandled: 0, unhandledBytes: 0, backlog: [], paused: false, written: 0, pressured: false };
    this.#bindings.set(id, binding);
    this.#watch(link);
    const accepted = this.host.accept(req, res, headers, undefined, this.#events(binding));
    // Refused (the server is closing) or the client left mid-handshake: the thread forgets its socket.
    if (!accepted || !binding.socket) this.#closed(binding, 1006, '');
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

  #post(binding: Binding, e: SocketEventKind, d?: string | Uint8Array, n?: number, r?: string): void {
    const message: SocketEventMessage = { t: SOCKET_EVENT, c: binding.id, e };
    if (d !== undefined) message.d = d;
    if (n !== undefined) message.n = n;
    if (r !== undefined) message.r = r;
    binding.link.post(message);
  }

  #events(binding: Binding): SocketEvents {
    return {
      open: (socket) => {
        binding.socket = socket;
        this.#post(binding, SocketEventKind.Open, undefined, undefined, socket.remoteAddress);
      },
      message: (socket, message) => {
        const data = typeof message === 'string' ? message : portable(message);
        if (binding.backlog.length === 0 && this.#roomFor(binding)) this.#send(binding, data);
        else binding.backlog.push(data);
        if (!binding.paused && !this.#roomFor(binding)) {
          binding.paused = true;
          socket.pause();
        }
      },
      close: (_socket, code, reason) => this.#closed(binding, code, reason),
      drain: () => this.#post(binding, SocketEventKind.Drain),
    };
  }

  /** Whether the thread may take another of this connection's messages now; one always, however large. */
  #roomFor(binding: Binding): boolean {
    return binding.unhandled === 0 || (binding.unhandled < READ_WINDOW && binding.unhandledBytes < READ_WINDOW_BYTES);
  }

  #send(binding: Binding, data: string | Uint8Array): void {
    binding.unhandled++;
    binding.unhandledBytes += typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength;
    this.#post(binding, SocketEventKind.Message, data);
  }

  #closed(binding: Binding, code: number, reason: string): void {
    if (this.#bindings.get(binding.id) !== binding) return;
    this.#bindings.delete(binding.id);
    this.#toReport.delete(binding);
    this.#post(binding, SocketEventKind.Close, undefined, code, reason);
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
        binding.unhandled--;
        binding.unhandledBytes -= message.n ?? 0;
        while (binding.backlog.length > 0 && this.#roomFor(binding)) this.#send(binding, binding.backlog.shift()!);
        if (binding.paused && binding.backlog.length === 0 && binding.unhandled <= READ_WINDOW / 2 && binding.unhandledBytes <= READ_WINDOW_BYTES / 2) {
          binding.paused = false;
          socket.resume();
        }
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
