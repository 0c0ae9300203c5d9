import type { HostedSocket, SocketEvents } from '@switchyard/core/node';
import type { SessionLink } from './link.js';
import { SOCKET_EVENT, type SocketEventMessage, SocketEventKind } from './messages.js';
import { portable } from './thread-sockets.js';

/** Messages (or bytes) a connection may have on its thread unhandled before the socket stops reading. */
export const READ_WINDOW = 32;
export const READ_WINDOW_BYTES = 1024 * 1024;

/** Told when a bound socket closed, so its binding is dropped. */
export interface Unbinder {
  unbind(binding: Binding, code: number, reason: string): void;
}

/**
 * One WebSocket bound to the session (thread) whose `fetch` accepted it:
 * what happens to the socket goes to that session's port, in order, no
 * more than READ_WINDOW messages ahead of the thread (sockets.ts). One
 * object per connection, not a closure per event.
 */
export class Binding implements SocketEvents {
  readonly id: number;
  readonly link: SessionLink;
  readonly #owner: Unbinder;
  socket: HostedSocket | undefined;
  unhandled = 0;
  unhandledBytes = 0;
  /** Messages read past the window (what one read from the socket held), sent on as the thread catches up. */
  #backlog: Array<string | Uint8Array> | undefined;
  #paused = false;
  /** Bytes of the thread's sends written here since the last report to it, and whether one needed a drain. */
  written = 0;
  pressured = false;

  constructor(id: number, link: SessionLink, owner: Unbinder) {
    this.id = id;
    this.link = link;
    this.#owner = owner;
  }

  post(e: SocketEventKind, d?: string | Uint8Array, n?: number, r?: string): void {
    const message: SocketEventMessage = { t: SOCKET_EVENT, c: this.id, e };
    if (d !== undefined) message.d = d;
    if (n !== undefined) message.n = n;
    if (r !== undefined) message.r = r;
    this.link.post(message);
  }

  open(socket: HostedSocket): void {
    this.socket = socket;
    this.post(SocketEventKind.Open, undefined, undefined, socket.remoteAddress);
  }

  message(socket: HostedSocket, message: string | Buffer): void {
    const data = typeof message === 'string' ? message : portable(message);
    if (this.#backlog === undefined && this.#roomFor()) this.#send(data);
    else (this.#backlog ??= []).push(data);
    if (!this.#paused && !this.#roomFor()) {
      this.#paused = true;
      socket.pause();
    }
  }

  close(_socket: HostedSocket, code: number, reason: string): void {
    this.#owner.unbind(this, code, reason);
  }

  drain(): void {
    this.post(SocketEventKind.Drain);
  }

  /** The thread handled a message of `bytes`: send on what waits, and read again once the thread is down to half a window. */
  acked(bytes: number): void {
    this.unhandled--;
    this.unhandledBytes -= bytes;
    const backlog = this.#backlog;
    if (backlog) {
      while (backlog.length > 0 && this.#roomFor()) this.#send(backlog.shift()!);
      if (backlog.length === 0) this.#backlog = undefined;
    }
    if (this.#paused && this.#backlog === undefined && this.unhandled <= READ_WINDOW / 2 && this.unhandledBytes <= READ_WINDOW_BYTES / 2) {
      this.#paused = false;
      this.socket?.resume();
    }
  }

  /** Whether the thread may take another of this connection's messages now; one always, however large. */
  #roomFor(): boolean {
    return this.unhandled === 0 || (this.unhandled < READ_WINDOW && this.unhandledBytes < READ_WINDOW_BYTES);
  }

  #send(data: string | Uint8Array): void {
    this.unhandled++;
    this.unhandledBytes += typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength;
    this.post(SocketEventKind.Message, data);
  }
}
