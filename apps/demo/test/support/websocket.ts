import WebSocket from 'ws';
import type { ServerEvent } from './sse.js';

/** The longest a test waits for one frame or for the socket to open or close: a bound, not a speed requirement. */
const WAIT_MS = 10_000;

/** An open chat WebSocket that a test reads frame by frame, as `openEventStream` reads events. */
export interface ChatSocket {
  /** The next frame from the server, parsed (`{event, data}`); rejects when the socket closes first or nothing comes in time. */
  next(): Promise<ServerEvent>;
  /** Frames received and not read yet. */
  readonly unread: number;
  send(data: string | Uint8Array): void;
  /** The close code and reason once the socket has closed, by either side. */
  readonly closed: Promise<{ code: number; reason: string }>;
  /** Closes with 1000 and waits for the server's close frame. */
  close(): Promise<void>;
}

/** Fails with `message` after WAIT_MS, unless `promise` settles first. */
export function bounded<T>(promise: Promise<T>, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${message}: nothing within ${WAIT_MS} ms`)), WAIT_MS);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** `http://host:port` as `ws://host:port/path`. */
export function socketUrl(serverUrl: string, path: string): string {
  return `${serverUrl.replace(/^http/, 'ws')}${path}`;
}

/**
 * Opens a WebSocket on a connection of its own (so cluster's round robin
 * spreads sockets over its processes) and queues every frame it gets.
 */
export function openChatSocket(url: string): Promise<ChatSocket> {
  const ws = new WebSocket(url);
  const frames: ServerEvent[] = [];
  const waiting: { resolve: (frame: ServerEvent) => void; reject: (error: Error) => void }[] = [];
  let ended: Error | undefined;
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.once('close', (code, reason) => {
      ended = new Error(`the socket closed (${code} ${reason.toString()}); ${frames.length} frame(s) unread`);
      for (const { reject } of waiting.splice(0)) reject(ended);
      resolve({ code, reason: reason.toString() });
    });
  });
  ws.on('message', (data, isBinary) => {
    const frame = JSON.parse(isBinary ? Buffer.from(data as Buffer).toString() : data.toString()) as ServerEvent;
    const reader = waiting.shift();
    if (reader) reader.resolve(frame);
    else frames.push(frame);
  });
  const socket: ChatSocket = {
    next() {
      const frame = frames.shift();
      if (frame) return Promise.resolve(frame);
      if (ended) return Promise.reject(ended);
      let reader: (typeof waiting)[number] | undefined;
      const arriving = new Promise<ServerEvent>((resolve, reject) => {
        reader = { resolve, reject };
        waiting.push(reader);
      });
      return bounded(arriving, 'waiting for a WebSocket frame').catch((error: unknown) => {
        // Given up on: a later frame must stay queued for the next read, not go to this one.
        const at = waiting.indexOf(reader!);
        if (at !== -1) waiting.splice(at, 1);
        throw error;
      });
    },
    get unread() {
      return frames.length;
    },
    send(data) {
      ws.send(data);
    },
    closed,
    async close() {
      if (ws.readyState === WebSocket.CONNECTING || ws.readyState === WebSocket.OPEN) ws.close(1000);
      await bounded(closed, 'waiting for the socket to close');
    },
  };
  return bounded(
    new Promise<ChatSocket>((resolve, reject) => {
      ws.once('open', () => resolve(socket));
      ws.once('error', reject);
      ws.once('unexpected-response', (_request, response) => reject(new Error(`the handshake got ${response.statusCode}, not 101`)));
    }),
    `opening ${url}`,
  ).catch((error: unknown) => {
    ws.terminate();
    throw error;
  });
}
