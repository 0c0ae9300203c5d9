/**
 * What crosses between the main thread and a pool thread. Only plain data:
 * `Request`, `Response` and `Headers` cannot be structured-cloned (Node 20
 * turns them into `{}` without a word), so a request travels as its parts
 * and a response comes back as its parts. Bodies travel as transferred
 * buffers. Each thread has its own MessagePort, so many requests can be in
 * flight on it at once; `t` tells the kinds apart.
 */
import type { MessagePort } from 'node:worker_threads';
import type { MetricJson, SocketOptions } from '@switchyard/core/node';

// Main thread -> pool thread.
export const REQUEST = 1;
export const CREDIT = 2;
export const ABORT = 3;
export const DELIVER = 4;
export const ACTIVATE = 5;
export const CLOSE = 6;
export const SHUTDOWN = 7;
export const SOCKET_EVENT = 8;

// Pool thread -> main thread.
export const READY = 10;
export const SETUP_FAILED = 11;
export const RESPONSE = 12;
export const HEAD = 13;
export const CHUNK = 14;
export const END = 15;
export const STREAM_ERROR = 16;
export const FAILED = 17;
export const PUBLISH = 18;
export const STANDBY = 19;
export const DROPPED = 20;
export const METRICS = 21;
export const UPGRADE = 22;
export const SOCKET = 23;

/** A request, fully received by the main thread. */
export interface RequestMessage {
  t: typeof REQUEST;
  id: number;
  /** Position among the requests sent to this thread, for `SessionProgress.started`. */
  seq: number;
  method: string;
  url: string;
  /** `[name, value, name, value, ...]` as received, repeated names kept apart. */
  headers: string[];
  /** The whole body in a buffer that is transferred, or null when there is none. */
  body: Uint8Array | null;
  /** Set when the request is a WebSocket handshake the app may accept with `ctx.upgrade`. */
  upgrade?: true;
}

/** The main thread wrote `bytes` of a stream to the socket: the thread may send that much more. */
export interface CreditMessage {
  t: typeof CREDIT;
  id: number;
  bytes: number;
}

/** The client left or the request timed out: abort `ctx.signal`, cancel the body stream. */
export interface AbortMessage {
  t: typeof ABORT;
  id: number;
  reason: 'client' | 'timeout';
}

/** A channel message published on another thread. */
export interface DeliverMessage {
  t: typeof DELIVER;
  name: string;
  message: unknown;
}

/** A standby session takes over as thread `workerId`: it runs `setup`, then takes traffic. */
export interface ActivateMessage {
  t: typeof ACTIVATE;
  workerId: number;
  /** How much to lower the thread's priority now that it knows which thread it is. */
  niceIncrement: number;
}

/**
 * The server began to close: abort the `setup` context's signal, so the app
 * can end what never finishes by itself (event streams) before the grace
 * period runs out. Requests keep running.
 */
export interface ShutdownMessage {
  t: typeof SHUTDOWN;
}

/** Finish: abort what runs, run `teardown`, end the session. */
export interface CloseMessage {
  t: typeof CLOSE;
}

/** What happened to a WebSocket bound to this thread (`e`), from the main thread that holds it. */
export const SocketEventKind = {
  /** The handshake completed: run `open`. `r` is the remote address. */
  Open: 1,
  /** A message arrived: `d`. Run `message`, then ACK it. */
  Message: 2,
  /** The socket closed: `n` is the code, `r` the reason. Run `close`. */
  Close: 3,
  /** What a send returning -1 queued is written out: run `drain`. */
  Drain: 4,
  /** The main thread handed `n` bytes of this thread's sends to the socket; `p` when the socket then needed a drain. */
  Written: 5,
} as const;
export type SocketEventKind = (typeof SocketEventKind)[keyof typeof SocketEventKind];

/** Connection `c` is the id of the request that opened it. */
export interface SocketEventMessage {
  t: typeof SOCKET_EVENT;
  c: number;
  e: SocketEventKind;
  d?: string | Uint8Array;
  n?: number;
  r?: string;
  p?: boolean;
}

export type ToThread = RequestMessage | CreditMessage | AbortMessage | DeliverMessage | ActivateMessage | ShutdownMessage | CloseMessage | SocketEventMessage;

/** `setup` finished: the thread takes traffic. */
export interface ReadyMessage {
  t: typeof READY;
  threadId: number;
  /** The app's `websocket` settings, checked; absent when it takes no WebSockets. */
  websocket?: SocketOptions;
}

/** A standby session loaded the app and waits for ACTIVATE. */
export interface StandbyMessage {
  t: typeof STANDBY;
  threadId: number;
}

/** An error in a form that survives the crossing with its `code`. */
export interface ErrorData {
  name: string;
  message: string;
  stack?: string;
  code?: string;
}

export interface SetupFailedMessage {
  t: typeof SETUP_FAILED;
  error: ErrorData;
}

/** What the main thread needs to account for a request's run on the thread. */
interface Timing {
  /** Milliseconds from the thread picking the request up to this message. */
  runMs: number;
  /**
   * Milliseconds the request kept the thread's event loop busy, as far as
   * the thread can tell: its synchronous part, plus everything up to the
   * response when that came back without waiting on I/O.
   */
  costMs: number;
}

/** A complete response: status, headers and the whole body in one message. */
export interface ResponseMessage extends Timing {
  t: typeof RESPONSE;
  id: number;
  status: number;
  statusText: string;
  headers: string[];
  /** Strings travel as strings; bytes in a transferred buffer. */
  body: string | Uint8Array | null;
}

/** The head of a streamed response; chunks follow. */
export interface HeadMessage extends Timing {
  t: typeof HEAD;
  id: number;
  status: number;
  statusText: string;
  headers: string[];
  /** A first chunk that was ready with the head, if any. */
  chunk: Uint8Array | null;
}

/** One chunk of a streamed body, in a transferred buffer. */
export interface ChunkMessage {
  t: typeof CHUNK;
  id: number;
  chunk: Uint8Array;
}

/** The streamed body is complete. */
export interface EndMessage {
  t: typeof END;
  id: number;
}

/** The streamed body failed after its head went out: the connection must be cut. */
export interface StreamErrorMessage {
  t: typeof STREAM_ERROR;
  id: number;
  error: ErrorData;
}

/** The handler threw, or returned something that is not a Response. */
export interface FailedMessage extends Timing {
  t: typeof FAILED;
  id: number;
  /** Set when the handler threw or rejected. */
  error?: ErrorData;
  /** Set when the handler returned a non-Response: what it returned. */
  returned?: string;
}

/**
 * The thread let go of an aborted request whose handler has not settled
 * (it may never): its slot is free, and what it returns later is dropped.
 */
export interface DroppedMessage {
  t: typeof DROPPED;
  id: number;
}

/** The handler accepted the request as a WebSocket (`ctx.upgrade`): complete the handshake; `headers` go on the 101. */
export interface UpgradeMessage extends Timing {
  t: typeof UPGRADE;
  id: number;
  headers: string[] | undefined;
}

/** What the app did to a WebSocket bound to this thread (`o`). */
export const SocketOp = {
  /** Send `d` (`n` is 1 to compress). */
  Send: 1,
  /** Close with code `n` and reason `r`. */
  Close: 2,
  Terminate: 3,
  /** Subscribe to topic `r`. */
  Subscribe: 4,
  Unsubscribe: 5,
  /** Publish `d` to topic `r`, from socket `c` (0: `ctx.publish`, from no socket). */
  Publish: 6,
  /** The `message` handler for a message of `n` bytes settled: the main thread may read more from the client. */
  Ack: 7,
  Ping: 8,
  Pong: 9,
  /** A handler threw (`r` names which, `error` says what): log it, close the socket with 1011. */
  Failed: 10,
} as const;
export type SocketOp = (typeof SocketOp)[keyof typeof SocketOp];

export interface SocketMessage {
  t: typeof SOCKET;
  c: number;
  o: SocketOp;
  d?: string | Uint8Array;
  n?: number;
  r?: string;
  error?: ErrorData;
}

export interface PublishMessage {
  t: typeof PUBLISH;
  name: string;
  message: unknown;
}

export type FromThread =
  | ReadyMessage
  | StandbyMessage
  | SetupFailedMessage
  | ResponseMessage
  | HeadMessage
  | ChunkMessage
  | EndMessage
  | StreamErrorMessage
  | FailedMessage
  | DroppedMessage
  | PublishMessage
  | MetricsMessage
  | UpgradeMessage
  | SocketMessage;

/** The thread's event-loop figures and the app's own metrics (prom-client's JSON), sent every `metricsIntervalMs`. */
export interface MetricsMessage {
  t: typeof METRICS;
  metrics: MetricJson[];
}

/**
 * What actually crosses a port: the messages of one event-loop turn, in
 * order (see outbox.ts). READY, STANDBY, SETUP_FAILED and PUBLISH travel alone.
 */
export type Batch<T> = T[];

/** The piscina task that starts a thread's session: one per thread, for the thread's life. */
export interface SessionTask {
  /** The thread's number, 1..N; 0 for a standby session, which gets one with ACTIVATE. */
  workerId: number;
  port: MessagePort;
  /** The app module's URL. */
  app: string;
  /** Bytes of a streamed body the thread may send ahead of the main thread's credit. */
  streamWindow: number;
  /** limits.requestTimeout, for the reason `ctx.signal` gives when it fires. */
  requestTimeout: number;
  /** limits.maxBodySize: the default largest WebSocket message. */
  maxBodySize: number;
  /** `pool.niceIncrement` (0 for the express lane): how much to lower the thread's priority (Linux); a standby gets it with ACTIVATE. */
  niceIncrement: number;
  /** `fastGlobals`: install core's global Request and Response in the thread before the app loads. */
  fastGlobals: boolean;
  /** The shared memory of a `SessionProgress`: the last request started, and the thread's beat. */
  progress: SharedArrayBuffer;
  /** The main thread's `performance.timeOrigin`, so the thread writes its beat on the main thread's clock. */
  clockOrigin: number;
  /** How often the thread sends the app's own metrics to the main thread, in ms; 0 when metrics are off. */
  metricsIntervalMs: number;
}
