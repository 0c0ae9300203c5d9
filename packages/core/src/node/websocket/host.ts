import { type IncomingMessage, type Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { ChannelHub } from '../../channel.js';
import type { Logger, WebSocketData } from '../../types.js';
import { sendError } from '../errors.js';
import { ensureCloseEvent } from './close-event.js';
import { isWebSocketHandshake } from './handshake.js';
import type { SocketOptions } from './options.js';
import { HostedSocket, type SocketEvents, type SocketOwner } from './socket.js';

/** The channel every context's host listens on for `publish`: one name, the topic inside. */
export const TOPIC_CHANNEL = 'switchyard:websocket';

/** What crosses contexts for one `publish`. `from` names the publishing socket, so it can be left out. */
export interface TopicMessage {
  topic: string;
  data: string | Uint8Array;
  from?: string;
}

interface Pending {
  socket: Duplex;
  head: Buffer;
}

let nextHost = 1;

/**
 * The WebSockets of one thread that holds TCP sockets (a reactor, a cluster
 * process, a pool's main thread): takes upgrade requests off the HTTP server
 * into the normal request path, completes the handshakes the app accepts,
 * keeps topics, pings and closes idle sockets, and closes every socket on
 * shutdown (1001) and when the context ends (1011).
 */
export class SocketHost implements SocketOwner {
  readonly options: SocketOptions;
  readonly #wss: WebSocketServer;
  readonly #logger: Logger;
  readonly #hub: ChannelHub;
  readonly #sockets = new Set<HostedSocket>();
  readonly #pending = new WeakMap<IncomingMessage, Pending>();
  readonly #headers = new WeakMap<IncomingMessage, string[]>();
  readonly #topics = new Map<string, Set<HostedSocket>>();
  /** Tells this host's sockets from another context's in `TopicMessage.from`. */
  readonly #key = `${process.pid}.${nextHost++}.${Math.random().toString(36).slice(2, 8)}`;
  readonly #unsubscribeHub: () => void;
  #sweep: NodeJS.Timeout | undefined;
  #closing: Promise<void> | undefined;
  #emptied: (() => void) | undefined;
  readonly #onExit = () => this.closeAll(1011, 'server process ended');

  constructor(options: SocketOptions, hub: ChannelHub, logger: Logger) {
    this.options = options;
    this.#hub = hub;
    this.#logger = logger;
    ensureCloseEvent();
    this.#wss = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      maxPayload: options.maxPayloadLength,
      perMessageDeflate: options.perMessageDeflate,
    });
    this.#wss.on('headers', (lines: string[], req: IncomingMessage) => {
      const extra = this.#headers.get(req);
      if (extra) lines.push(...extra);
    });
    this.#unsubscribeHub = hub.channel<TopicMessage>(TOPIC_CHANNEL).subscribe((message) => this.#fanOut(message));
    // A process on its way out still writes close frames (an uncaught error, process.exit); a killed one cannot.
    process.on('exit', this.#onExit);
  }

  /** WebSockets open now. */
  get size(): number {
    return this.#sockets.size;
  }

  /**
   * Sends `server`'s upgrade requests through `onRequest`, the same path as
   * every request (endpoints, admission, the app), with a response written
   * to their socket: a `fetch` that does not call `ctx.upgrade` answers as
   * usual, and the connection closes after.
   */
  attach(server: Server, onRequest: (req: IncomingMessage, res: ServerResponse) => void): void {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      socket.on('error', () => {});
      const res = new ServerResponse(req);
      res.shouldKeepAlive = false;
      res.assignSocket(socket as Socket);
      res.once('finish', () => socket.end());
      if (!this.#closing && isWebSocketHandshake(req)) this.#pending.set(req, { socket, head });
      onRequest(req, res);
    });
  }

  /** Whether the app may accept `req` as a WebSocket: a handshake, with the host not closing. */
  canUpgrade(req: IncomingMessage): boolean {
    return this.#closing === undefined && this.#pending.has(req);
  }

  /**
   * Completes the handshake of `req`, which the app accepted: `headers` go
   * on the 101, and `events` hears what the socket does from then on.
   * Returns false (and answers 503) when the server began to close first.
   */
  accept<T>(req: IncomingMessage, res: ServerResponse, headers: string[] | undefined, data: T, events: SocketEvents): boolean {
    const pending = this.#pending.get(req);
    this.#pending.delete(req);
    if (!pending || this.#closing) {
      sendError(res, 503, { close: true });
      return false;
    }
    res.detachSocket(pending.socket as Socket);
    if (headers) this.#headers.set(req, headers);
    this.#wss.handleUpgrade(req, pending.socket, pending.head, (ws) => {
      const socket = new HostedSocket(ws, pending.socket, this, events, data);
      this.#sockets.add(socket);
      this.#startSweep();
      events.open(socket);
    });
    return true;
  }

  subscribe(socket: HostedSocket, topic: string): void {
    let set = this.#topics.get(topic);
    if (!set) this.#topics.set(topic, (set = new Set()));
    set.add(socket);
  }

  unsubscribe(socket: HostedSocket, topic: string): void {
    const set = this.#topics.get(topic);
    if (!set) return;
    set.delete(socket);
    if (set.size === 0) this.#topics.delete(topic);
  }

  /** Sends to `topic`'s subscribers in every context; `from`, the publishing socket, is left out unless `publishToSelf`. */
  publish(topic: string, data: WebSocketData, from: HostedSocket | undefined): number {
    const bytes =
      typeof data === 'string'
        ? data
        : data instanceof Uint8Array
          ? data
          : ArrayBuffer.isView(data)
            ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
            : new Uint8Array(data);
    const message: TopicMessage = { topic, data: bytes };
    if (from) message.from = `${this.#key}:${from.id}`;
    this.#hub.channel<TopicMessage>(TOPIC_CHANNEL).publish(message);
    return typeof bytes === 'string' ? Buffer.byteLength(bytes) : bytes.byteLength;
  }

  #fanOut({ topic, data, from }: TopicMessage): void {
    const set = this.#topics.get(topic);
    if (!set) return;
    const skip = from !== undefined && !this.options.publishToSelf && from.startsWith(`${this.#key}:`) ? Number(from.slice(this.#key.length + 1)) : 0;
    for (const socket of set) if (socket.id !== skip) socket.send(data);
  }

  forget(socket: HostedSocket): void {
    this.#sockets.delete(socket);
    if (this.#sockets.size === 0) {
      this.#stopSweep();
      this.#emptied?.();
    }
  }

  /** Closes every socket `which` picks (all by default) with `code`: a pool thread that ended closes its own with 1011. */
  closeAll(code: number, reason: string, which: (socket: HostedSocket) => boolean = () => true): void {
    for (const socket of this.#sockets) if (which(socket)) socket.close(code, reason);
  }

  /**
   * Shutdown: no more upgrades, every socket gets a close frame (1001, or
   * `code` when another server takes over) at once, and those whose client
   * has not answered by `graceMs` are cut.
   */
  shutdown(graceMs: number, code = 1001, reason = 'server shutting down'): Promise<void> {
    this.#closing ??= (async () => {
      process.off('exit', this.#onExit);
      this.#unsubscribeHub();
      if (this.#sockets.size > 0) {
        const emptied = new Promise<void>((resolve) => (this.#emptied = resolve));
        this.closeAll(code, reason);
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), graceMs)));
        if (await Promise.race([emptied.then(() => false), late])) {
          for (const socket of this.#sockets) socket.terminate();
          await emptied;
        }
        clearTimeout(timer);
      }
      this.#stopSweep();
      this.#wss.close();
    })();
    return this.#closing;
  }

  /** Every half of `idleTimeout`: ping the sockets that were quiet, close those that stayed quiet. */
  #startSweep(): void {
    const { idleTimeout } = this.options;
    if (this.#sweep || idleTimeout === 0) return;
    this.#sweep = setInterval(() => this.#sweepIdle(), (idleTimeout * 1000) / 2);
    this.#sweep.unref();
  }

  #stopSweep(): void {
    clearInterval(this.#sweep);
    this.#sweep = undefined;
  }

  #sweepIdle(): void {
    for (const socket of this.#sockets) {
      if (socket.seen) {
        socket.seen = false;
        socket.pinged = false;
      } else if (!socket.pinged) {
        socket.pinged = true;
        if (this.options.sendPings) socket.ping();
      } else if (this.options.sendPings) {
        // No pong to a ping: the client is gone or stuck.
        socket.terminate();
      } else {
        socket.close(1001, 'idle timeout');
      }
    }
  }

  /** Logs a handler failure and closes the socket it concerned with 1011, costing no other. */
  failed(socket: HostedSocket, what: string, error: unknown): void {
    this.#logger.error(`[switchyard] WebSocket ${what} handler threw; closing that socket (1011)`, error);
    if (socket.readyState <= 1) socket.close(1011, 'handler error');
  }
}
