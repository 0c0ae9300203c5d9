/**
 * A pool thread's side of the WebSockets bound to it. The TCP socket stays
 * on the main thread (sockets.ts); here each connection is a `ThreadSocket`
 * whose methods become messages, and whose `data` never leaves the thread.
 * Events for one connection arrive in order on the thread's port, so its
 * `open`, `message` and `close` run here in order.
 */
import type { ServerWebSocket, UpgradeOptions, WebSocketData, WebSocketHandler, WebSocketReadyState } from '@switchyard/core';
import {
  addTopic,
  checkTopic,
  ensureCloseEvent,
  hasTopic,
  removeTopic,
  type SocketOptions,
  type TopicList,
  topicsOf,
  upgradeHeaderLines,
} from '@switchyard/core/node';
import { toErrorData } from './errors.js';
import { type FromThread, SOCKET, type SocketEventMessage, SocketEventKind, SocketOp } from './messages.js';
import type { Outbox } from './outbox.js';

type Handler = (ws: ServerWebSocket<unknown>, ...args: never[]) => unknown;

function size(data: WebSocketData): number {
  return typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength;
}

/**
 * Bytes that can cross a port: strings as they are, anything else as a
 * Uint8Array of its own. A view into a larger buffer is copied: a port
 * clones the whole buffer under a view.
 */
export function portable(data: WebSocketData): string | Uint8Array {
  if (typeof data === 'string') return data;
  const view = ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data);
  return view.byteOffset === 0 && view.byteLength === view.buffer.byteLength ? view : new Uint8Array(view);
}

export class ThreadSockets {
  readonly options: SocketOptions;
  readonly #handler: WebSocketHandler<unknown>;
  readonly #out: Outbox<FromThread>;
  /** Accepted by `fetch` and not yet open, by request id. */
  readonly #accepted = new Map<number, { socket: ThreadSocket; headers: string[] | undefined }>();
  readonly #open = new Map<number, ThreadSocket>();

  constructor(handler: WebSocketHandler<unknown>, options: SocketOptions, out: Outbox<FromThread>) {
    this.#handler = handler;
    this.options = options;
    this.#out = out;
    ensureCloseEvent();
  }

  /** `ctx.upgrade` for request `id`, which the main thread marked as a handshake. */
  upgrade(id: number, options: UpgradeOptions<unknown>): boolean {
    const headers = upgradeHeaderLines(options.headers);
    this.#accepted.set(id, { socket: new ThreadSocket(id, options.data, this), headers });
    return true;
  }

  /** After `fetch` settled: whether it accepted request `id` as a WebSocket, and the 101's extra headers. */
  takeAccepted(id: number): { headers: string[] | undefined } | undefined {
    const accepted = this.#accepted.get(id);
    if (!accepted) return undefined;
    this.#accepted.delete(id);
    this.#open.set(id, accepted.socket);
    return accepted;
  }

  /** Forgets what `fetch` accepted when it then failed: the main thread answers 500 instead. */
  drop(id: number): void {
    this.#accepted.delete(id);
  }

  post(c: number, o: SocketOp, d?: string | Uint8Array, n?: number, r?: string): void {
    const message: FromThread = { t: SOCKET, c, o };
    if (d !== undefined) message.d = d;
    if (n !== undefined) message.n = n;
    if (r !== undefined) message.r = r;
    this.#out.push(message);
  }

  /** `ctx.publish`: from no socket. */
  publish(topic: string, data: WebSocketData): number {
    this.post(0, SocketOp.Publish, portable(data), undefined, checkTopic(topic));
    return size(data);
  }

  event(message: SocketEventMessage): void {
    const socket = this.#open.get(message.c);
    if (!socket) return;
    switch (message.e) {
      case SocketEventKind.Open:
        socket.opened(message.r ?? '');
        this.#run('open', socket);
        break;
      case SocketEventKind.Message: {
        const data = message.d!;
        const bytes = typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength;
        const message_ = typeof data === 'string' ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
        this.#run('message', socket, message_, () => this.post(socket.id, SocketOp.Ack, undefined, bytes));
        break;
      }
      case SocketEventKind.Close:
        this.#open.delete(socket.id);
        socket.closed();
        this.#run('close', socket, message.n ?? 1006, message.r ?? '');
        break;
      case SocketEventKind.Drain:
        socket.drained();
        this.#run('drain', socket);
        break;
      case SocketEventKind.Written:
        socket.written(message.n ?? 0, message.p === true);
        break;
    }
  }

  /** Runs one of the app's handlers; `after` once it settled, however. A throw closes only this socket (1011). */
  #run(what: 'open' | 'message' | 'close' | 'drain', socket: ThreadSocket, ...rest: unknown[]): void {
    const after = what === 'message' ? (rest.pop() as () => void) : undefined;
    const fn = this.#handler[what] as Handler | undefined;
    if (fn === undefined) {
      after?.();
      return;
    }
    const fail = (error: unknown) => {
      this.#out.push({ t: SOCKET, c: socket.id, o: SocketOp.Failed, r: what, error: toErrorData(error) });
      after?.();
    };
    try {
      const result = Reflect.apply(fn, this.#handler, [socket, ...rest]) as Promise<unknown> | undefined;
      if (result !== undefined && typeof result?.then === 'function') result.then(after, fail);
      else after?.();
    } catch (error) {
      fail(error);
    }
  }
}

/**
 * Bun's `ServerWebSocket` on the thread its connection is bound to. A send
 * goes to the main thread at once; past `backpressureLimit` bytes the main
 * thread has not yet handed to the socket, sends are dropped (0), so a slow
 * client never makes this thread hold more than that.
 */
export class ThreadSocket implements ServerWebSocket<unknown> {
  readonly id: number;
  data: unknown;
  #state: WebSocketReadyState = 0;
  #remote = '';
  readonly #owner: ThreadSockets;
  #topics: TopicList;
  /** Bytes sent and not yet reported written by the main thread. */
  #inTransit = 0;
  /** The main thread's socket needs a drain: sends return -1 until it comes. */
  #pressured = false;

  constructor(id: number, data: unknown, owner: ThreadSockets) {
    this.id = id;
    this.data = data;
    this.#owner = owner;
  }

  opened(remote: string): void {
    this.#state = 1;
    this.#remote = remote;
  }

  closed(): void {
    this.#state = 3;
    this.#topics = undefined;
  }

  drained(): void {
    this.#pressured = false;
  }

  written(bytes: number, pressured: boolean): void {
    this.#inTransit = Math.max(0, this.#inTransit - bytes);
    if (pressured) this.#pressured = true;
  }

  get readyState(): WebSocketReadyState {
    return this.#state;
  }

  get remoteAddress(): string {
    return this.#remote;
  }

  get subscriptions(): string[] {
    return topicsOf(this.#topics);
  }

  send(data: WebSocketData, compress = false): number {
    if (this.#state !== 1) return 0;
    const { backpressureLimit, closeOnBackpressureLimit } = this.#owner.options;
    if (this.#inTransit >= backpressureLimit) {
      if (closeOnBackpressureLimit) this.close(1008, 'backpressure limit reached');
      return 0;
    }
    const bytes = size(data);
    this.#inTransit += bytes;
    this.#owner.post(this.id, SocketOp.Send, portable(data), compress ? 1 : undefined);
    return this.#pressured ? -1 : bytes;
  }

  sendText(data: string, compress?: boolean): number {
    return this.send(data, compress);
  }

  sendBinary(data: ArrayBuffer | ArrayBufferView, compress?: boolean): number {
    return this.send(data, compress);
  }

  close(code?: number, reason?: string): void {
    if (this.#state > 1) return;
    this.#state = 2;
    this.#owner.post(this.id, SocketOp.Close, undefined, code ?? 1000, reason ?? '');
  }

  terminate(): void {
    if (this.#state === 3) return;
    this.#state = 2;
    this.#owner.post(this.id, SocketOp.Terminate);
  }

  ping(data?: WebSocketData): number {
    if (this.#state !== 1) return 0;
    this.#owner.post(this.id, SocketOp.Ping, data === undefined ? undefined : portable(data));
    return data === undefined ? 0 : size(data);
  }

  pong(data?: WebSocketData): number {
    if (this.#state !== 1) return 0;
    this.#owner.post(this.id, SocketOp.Pong, data === undefined ? undefined : portable(data));
    return data === undefined ? 0 : size(data);
  }

  subscribe(topic: string): void {
    if (this.#state > 1 || hasTopic(this.#topics, checkTopic(topic))) return;
    this.#topics = addTopic(this.#topics, topic);
    this.#owner.post(this.id, SocketOp.Subscribe, undefined, undefined, topic);
  }

  unsubscribe(topic: string): void {
    if (!hasTopic(this.#topics, checkTopic(topic))) return;
    this.#topics = removeTopic(this.#topics, topic);
    this.#owner.post(this.id, SocketOp.Unsubscribe, undefined, undefined, topic);
  }

  isSubscribed(topic: string): boolean {
    return hasTopic(this.#topics, topic);
  }

  publish(topic: string, data: WebSocketData, _compress?: boolean): number {
    this.#owner.post(this.id, SocketOp.Publish, portable(data), undefined, checkTopic(topic));
    return size(data);
  }

  publishText(topic: string, data: string, compress?: boolean): number {
    return this.publish(topic, data, compress);
  }

  publishBinary(topic: string, data: ArrayBuffer | ArrayBufferView, compress?: boolean): number {
    return this.publish(topic, data, compress);
  }

  cork<R>(callback: (ws: ServerWebSocket<unknown>) => R): R {
    // Sends of one turn already travel together (outbox.ts).
    return callback(this);
  }

  getBufferedAmount(): number {
    return this.#inTransit;
  }
}
