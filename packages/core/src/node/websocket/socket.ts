import type { Duplex } from 'node:stream';
import type { ServerWebSocket, WebSocketData, WebSocketReadyState } from '../../types.js';
import type { SocketOptions } from './options.js';
import { addTopic, checkTopic, hasTopic, removeTopic, type TopicList, topicsOf } from './topic-list.js';

/** Who runs the app's handlers for a socket: this context (reactor, cluster), or the pool thread it is bound to. */
export interface SocketEvents {
  open(socket: HostedSocket): void;
  message(socket: HostedSocket, message: string | Buffer): void;
  close(socket: HostedSocket, code: number, reason: string): void;
  drain(socket: HostedSocket): void;
}

/** What a socket needs from the host that holds it (host.ts). */
export interface SocketOwner {
  readonly options: SocketOptions;
  subscribe(socket: HostedSocket, topic: string): void;
  unsubscribe(socket: HostedSocket, topic: string): void;
  publish(topic: string, data: WebSocketData, from: HostedSocket | undefined): number;
  forget(socket: HostedSocket): void;
}

const TEXT = { binary: false, compress: false };
const BINARY = { binary: true, compress: false };
const TEXT_COMPRESSED = { binary: false, compress: true };
const BINARY_COMPRESSED = { binary: true, compress: true };

export function byteLength(data: WebSocketData): number {
  return typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength;
}

/**
 * What this module uses of a `ws` WebSocket, named here so the published
 * types do not need @types/ws.
 */
export interface WsSocket {
  readonly readyState: number;
  readonly bufferedAmount: number;
  send(data: WebSocketData, options: { binary: boolean; compress: boolean }): void;
  close(code?: number, reason?: string): void;
  terminate(): void;
  ping(data?: WebSocketData): void;
  pong(data?: WebSocketData): void;
  pause(): void;
  resume(): void;
  on(event: string, listener: (...args: never[]) => void): unknown;
  once(event: string, listener: (...args: never[]) => void): unknown;
}

let nextId = 1;

/** The socket a `ws` WebSocket or its TCP socket belongs to: listeners are shared functions, not closures per connection. */
const kSocket = Symbol('switchyard.socket');
type Owned = { [kSocket]: HostedSocket };

function onMessage(this: WsSocket, message: Buffer, isBinary: boolean): void {
  const socket = (this as unknown as Owned)[kSocket];
  socket.seen = true;
  // Bytes in a Buffer of their own: apps read `message.buffer` (Hono's Bun helper does), and ws may hand a view into a larger chunk.
  socket.events.message(socket, isBinary ? (message.byteLength === message.buffer.byteLength ? message : Buffer.from(message)) : message.toString());
}

function onHeard(this: WsSocket): void {
  (this as unknown as Owned)[kSocket].seen = true;
}

function onClose(this: WsSocket, code: number, reason: Buffer): void {
  (this as unknown as Owned)[kSocket].closed(code, reason.toString());
}

function onDrain(this: Duplex): void {
  (this as unknown as Owned)[kSocket].drained();
}

// A protocol error (bad frame, message over maxPayloadLength): ws closes with the right code and emits close.
function ignore(): void {}

/**
 * One accepted WebSocket on the thread that holds its TCP socket: `ws` does
 * the frames; this adds Bun's `ServerWebSocket` methods, the backpressure
 * rule (`send` drops past `backpressureLimit` instead of queueing without
 * bound) and the idle bookkeeping the host sweeps.
 */
export class HostedSocket<T = unknown> implements ServerWebSocket<T> {
  readonly id = nextId++;
  data: T;
  /** Set by the host's sweep: whether anything came since the last sweep, and whether a ping is out. */
  seen = true;
  pinged = false;
  readonly #ws: WsSocket;
  readonly #raw: Duplex;
  readonly #owner: SocketOwner;
  readonly #events: SocketEvents;
  #topics: TopicList;
  #needDrain = false;

  constructor(ws: WsSocket, raw: Duplex, owner: SocketOwner, events: SocketEvents, data: T) {
    this.#ws = ws;
    this.#raw = raw;
    this.#owner = owner;
    this.#events = events;
    this.data = data;
    (ws as unknown as Owned)[kSocket] = this;
    (raw as unknown as Owned)[kSocket] = this;
    ws.on('message', onMessage);
    ws.on('pong', onHeard);
    ws.on('ping', onHeard);
    ws.on('error', ignore);
    ws.once('close', onClose);
    raw.on('drain', onDrain);
  }

  /** The connection ended: leave every topic, and tell the owner and the app. */
  closed(code: number, reason: string): void {
    for (const topic of topicsOf(this.#topics)) this.#owner.unsubscribe(this, topic);
    this.#topics = undefined;
    this.#owner.forget(this);
    this.#events.close(this, code, reason);
  }

  /** The TCP socket wrote out its queue: `drain` if a send returned -1 since the last one. */
  drained(): void {
    if (!this.#needDrain) return;
    this.#needDrain = false;
    if (this.#ws.readyState === 1) this.#events.drain(this);
  }

  get readyState(): WebSocketReadyState {
    return this.#ws.readyState as WebSocketReadyState;
  }

  get remoteAddress(): string {
    return (this.#raw as { remoteAddress?: string }).remoteAddress ?? '';
  }

  get subscriptions(): string[] {
    return topicsOf(this.#topics);
  }

  send(data: WebSocketData, compress = false): number {
    const binary = typeof data !== 'string';
    return this.#send(data, binary ? (compress ? BINARY_COMPRESSED : BINARY) : compress ? TEXT_COMPRESSED : TEXT);
  }

  sendText(data: string, compress = false): number {
    return this.#send(data, compress ? TEXT_COMPRESSED : TEXT);
  }

  sendBinary(data: ArrayBuffer | ArrayBufferView, compress = false): number {
    return this.#send(data, compress ? BINARY_COMPRESSED : BINARY);
  }

  #send(data: WebSocketData, how: typeof TEXT): number {
    const ws = this.#ws;
    if (ws.readyState !== 1) return 0;
    const { backpressureLimit, closeOnBackpressureLimit } = this.#owner.options;
    if (ws.bufferedAmount >= backpressureLimit) {
      if (closeOnBackpressureLimit) ws.close(1008, 'backpressure limit reached');
      return 0;
    }
    ws.send(data, how);
    if (this.#raw.writableNeedDrain) {
      this.#needDrain = true;
      return -1;
    }
    return byteLength(data);
  }

  close(code?: number, reason?: string): void {
    this.#ws.close(code ?? 1000, reason);
  }

  terminate(): void {
    this.#ws.terminate();
  }

  ping(data?: WebSocketData): number {
    if (this.#ws.readyState !== 1) return 0;
    this.#ws.ping(data);
    return data === undefined ? 0 : byteLength(data);
  }

  pong(data?: WebSocketData): number {
    if (this.#ws.readyState !== 1) return 0;
    this.#ws.pong(data);
    return data === undefined ? 0 : byteLength(data);
  }

  subscribe(topic: string): void {
    if (this.#ws.readyState > 1 || hasTopic(this.#topics, checkTopic(topic))) return;
    this.#topics = addTopic(this.#topics, topic);
    this.#owner.subscribe(this, topic);
  }

  unsubscribe(topic: string): void {
    if (!hasTopic(this.#topics, checkTopic(topic))) return;
    this.#topics = removeTopic(this.#topics, topic);
    this.#owner.unsubscribe(this, topic);
  }

  isSubscribed(topic: string): boolean {
    return hasTopic(this.#topics, topic);
  }

  publish(topic: string, data: WebSocketData, _compress?: boolean): number {
    return this.#owner.publish(checkTopic(topic), data, this);
  }

  publishText(topic: string, data: string, compress?: boolean): number {
    return this.publish(topic, data, compress);
  }

  publishBinary(topic: string, data: ArrayBuffer | ArrayBufferView, compress?: boolean): number {
    return this.publish(topic, data, compress);
  }

  cork<R>(callback: (ws: ServerWebSocket<T>) => R): R {
    this.#raw.cork();
    try {
      return callback(this);
    } finally {
      this.#raw.uncork();
    }
  }

  getBufferedAmount(): number {
    return this.#ws.bufferedAmount;
  }

  /** Stops reading from the client (a pool thread is behind on its messages), and starts again. */
  pause(): void {
    this.#ws.pause();
  }

  resume(): void {
    this.#ws.resume();
  }

  /** The events this socket reports to; a pool's main thread reads it to find the bound thread. */
  get events(): SocketEvents {
    return this.#events;
  }
}
