/**
 * The public types of Switchyard: the app contract every backend runs, the
 * options every backend accepts, and the handle every backend returns.
 * They name no Node types and nothing from lib "esnext.disposable", so they
 * compile in projects without @types/node; only the Fetch classes are
 * needed (README, "TypeScript").
 */

/**
 * Empty where the project has the Fetch types (lib "dom" or @types/node);
 * where it has neither, a required member whose name says what to add, so
 * the error lands on the user's own `serve()` options or app even under
 * `skipLibCheck`, instead of only "Cannot find name 'Request'" in here.
 */
type FetchTypesRequired = typeof globalThis extends { Request: unknown; Response: unknown; Headers: unknown }
  ? {}
  : { 'Switchyard needs the Fetch types: add "DOM" to compilerOptions.lib, or install @types/node and add "node" to compilerOptions.types': never };

/**
 * `[Symbol.asyncDispose]` where the project's types declare that symbol (lib
 * "esnext.disposable", or @types/node), nothing where they do not: naming
 * `AsyncDisposable` would not compile there (TypeScript 7's default target,
 * es2025, lacks it).
 */
type AsyncDisposableWhereKnown = SymbolConstructor extends { readonly asyncDispose: infer Key extends symbol } ? { [K in Key]: () => Promise<void> } : {};

/** The concurrency models Switchyard ships, one npm package each. */
export type BackendName = 'reactor' | 'pool' | 'cluster' | 'threads';

/** Publish/subscribe that reaches every context (process or thread) of a server. */
export interface Channel<T = unknown> {
  readonly name: string;
  /**
   * Delivers `message` to every subscriber of this channel in every context,
   * this one included. Messages must survive `structuredClone`.
   */
  publish(message: T): void;
  /** Calls `listener` for each message; returns a function that unsubscribes. */
  subscribe(listener: (message: T) => void): () => void;
}

/** What a handler learns about where and how it runs. */
export interface AppContext {
  /** The backend running this code. */
  readonly backend: BackendName;
  /** 0 for the reactor; the thread or process number (1..N) under pool and cluster. */
  readonly workerId: number;
  /**
   * Aborts when the client goes away or the request times out. In `setup`,
   * it aborts as soon as the server begins to close, before in-flight
   * requests drain: the moment to end event streams that never finish on
   * their own, or `close()` waits for them until `graceMs`.
   */
  readonly signal: AbortSignal;
  /** A named channel shared by every context of this server. */
  channel<T = unknown>(name: string): Channel<T>;
  /**
   * Accepts a WebSocket upgrade, as Bun's `server.upgrade` does: returns
   * true when `request` is a WebSocket handshake the app can take (its
   * export has `websocket` handlers), and the handler then returns nothing;
   * false otherwise, and the handler answers as usual. `data` becomes the
   * socket's `ws.data` and never leaves the thread or process that took the
   * upgrade; `headers` go out on the 101 response.
   */
  upgrade<T = undefined>(request: Request, options?: UpgradeOptions<T>): boolean;
  /**
   * Sends `data` to every WebSocket subscribed to `topic`, in every context
   * of this server (and other instances, when `channel` is set), as Bun's
   * `server.publish`. Returns the bytes handed over, 0 when nothing was.
   */
  publish(topic: string, data: WebSocketData): number;
}

/** What a socket sends or publishes: text, or bytes. */
export type WebSocketData = string | ArrayBuffer | ArrayBufferView;

/** `ctx.upgrade` options, as Bun's `server.upgrade` takes them. */
export interface UpgradeOptions<T = undefined> {
  /** Becomes `ws.data`: stays where the upgrade ran, so it may hold anything (functions, class instances). */
  data?: T;
  /** Extra headers for the 101 response. */
  headers?: Headers | Record<string, string> | Array<[string, string]>;
}

/** CONNECTING, OPEN, CLOSING, CLOSED, as in the WHATWG WebSocket. */
export type WebSocketReadyState = 0 | 1 | 2 | 3;

/**
 * One accepted WebSocket, the shape of Bun's `ServerWebSocket`. `send`
 * returns the bytes sent, -1 when they were queued behind a slow client
 * (`drain` follows), and 0 when they were dropped (the socket is closed, or
 * its queue is past `backpressureLimit`).
 */
export interface ServerWebSocket<T = undefined> {
  /** What `ctx.upgrade` was given as `data`. */
  data: T;
  readonly readyState: WebSocketReadyState;
  readonly remoteAddress: string;
  /** Topics this socket is subscribed to. */
  readonly subscriptions: string[];
  /** Text for a string, a binary message for bytes. */
  send(data: WebSocketData, compress?: boolean): number;
  sendText(data: string, compress?: boolean): number;
  sendBinary(data: ArrayBuffer | ArrayBufferView, compress?: boolean): number;
  /** Starts the closing handshake; `code` defaults to 1000. */
  close(code?: number, reason?: string): void;
  /** Cuts the connection without a closing handshake. */
  terminate(): void;
  ping(data?: WebSocketData): number;
  pong(data?: WebSocketData): number;
  subscribe(topic: string): void;
  unsubscribe(topic: string): void;
  isSubscribed(topic: string): boolean;
  /** Sends to every other subscriber of `topic`, in every context (this socket too with `publishToSelf`). */
  publish(topic: string, data: WebSocketData, compress?: boolean): number;
  publishText(topic: string, data: string, compress?: boolean): number;
  publishBinary(topic: string, data: ArrayBuffer | ArrayBufferView, compress?: boolean): number;
  /** Runs `callback` at once; sends are batched by the socket anyway. */
  cork<R>(callback: (ws: ServerWebSocket<T>) => R): R;
  /** Bytes queued for the client and not yet written to the network, as this context knows them. */
  getBufferedAmount(): number;
}

/**
 * The app's WebSocket handlers and their settings, Bun's `websocket` object:
 * handlers for one socket run in order, in the thread or process that took
 * its upgrade. A handler that throws (or rejects) closes its socket with
 * 1011 and costs no other.
 */
export interface WebSocketHandler<T = undefined> {
  /** A message arrived: a string for text, bytes (a Buffer) for binary. */
  message(ws: ServerWebSocket<T>, message: string | Uint8Array): void | Promise<void>;
  open?(ws: ServerWebSocket<T>): void | Promise<void>;
  /** The socket closed, by either side: the close code and reason (1006 when the connection just ended). */
  close?(ws: ServerWebSocket<T>, code: number, reason: string): void | Promise<void>;
  /** The socket wrote out what a `send` returning -1 had queued. */
  drain?(ws: ServerWebSocket<T>): void | Promise<void>;
  /** Largest message in bytes; a larger one closes the socket with 1009. Default `limits.maxBodySize`. */
  maxPayloadLength?: number;
  /** Bytes queued for a slow client past which `send` drops (returns 0). Default 16 MiB. */
  backpressureLimit?: number;
  /** Close the socket (1008) instead of dropping when `backpressureLimit` is reached. Default false. */
  closeOnBackpressureLimit?: boolean;
  /** Seconds without a message or pong before the socket is closed; 0 never. Default 120. */
  idleTimeout?: number;
  /** Ping a socket that has been quiet for half of `idleTimeout`, so live clients stay. Default true. */
  sendPings?: boolean;
  /** Whether `ws.publish` reaches the publishing socket too. Default false. */
  publishToSelf?: boolean;
  /** permessage-deflate compression (negotiated with the client). Default false. */
  perMessageDeflate?: boolean;
}

/**
 * An app is an ES module whose default export has this shape: the convention
 * of Bun, Deno, Cloudflare Workers, srvx and Hono. A Hono app fits as is.
 */
export interface App extends FetchTypesRequired {
  /** Returns the response; nothing only after `ctx.upgrade` accepted a WebSocket (otherwise that is a 500). */
  fetch(request: Request, ctx: AppContext): Response | undefined | Promise<Response | undefined>;
  /** Runs once per process or thread, before it takes traffic. */
  setup?(ctx: AppContext): void | Promise<void>;
  /** Runs once per process or thread, on shutdown. */
  teardown?(): void | Promise<void>;
  /** WebSocket handlers: with them, `ctx.upgrade` accepts WebSocket handshakes. */
  // biome-ignore lint/suspicious/noExplicitAny: `ws.data` is whatever the app passed to `upgrade`; `any` lets an inline handler object read it, as Bun's types do.
  websocket?: WebSocketHandler<any>;
}

/** Where log lines go; defaults to the global `console`. */
export interface Logger {
  error(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  info(...args: unknown[]): void;
}

/** Protocol limits. Each has a default; none reads the environment. */
export interface Limits {
  /** Largest request head in bytes; above it the client gets 431. Default 16384. */
  maxHeaderSize?: number;
  /** Largest request body in bytes; above it the client gets 413. Default 1048576 (1 MiB). */
  maxBodySize?: number;
  /**
   * Milliseconds from the first byte of a request to the head of its response.
   * A client still sending then gets 408; a handler still working gets 504 and
   * its `ctx.signal` aborts. Streams already started are not cut. Default 30000.
   */
  requestTimeout?: number;
  /** Milliseconds to receive the request head; a slower client gets 408. Default 10000. */
  headersTimeout?: number;
  /** Milliseconds an idle keep-alive connection stays open. Default 5000. */
  keepAliveTimeout?: number;
  /**
   * Requests allowed to wait for a busy handler before new ones get 503 with
   * `Retry-After`. Backends that never queue (reactor) ignore it. Default 1024.
   */
  maxQueue?: number;
  /**
   * Milliseconds the event loop may stay busy (one turn of synchronous
   * work) before new requests get 503 with `Retry-After` instead of
   * running. Requests to `healthPaths` are never shed. 0 turns it off.
   * Default 0.
   */
  maxEventLoopDelay?: number;
  /**
   * Requests in flight past which new ones get 503 with `Retry-After`.
   * Requests to `healthPaths` are never shed. 0 turns it off. Default 0.
   */
  maxInFlight?: number;
}

/** Options every backend's `serve()` accepts. */
export interface ServeOptions extends FetchTypesRequired {
  /** Path or URL of the app module; relative paths resolve from `process.cwd()`. Required. */
  app: string | URL;
  /**
   * Port to listen on; 0 picks any free port.
   * Default: env `PORT`, else 3000.
   */
  port?: number;
  /**
   * Address to listen on. Default: env `HOST`, else `127.0.0.1`
   * (use `0.0.0.0` or `::` to accept outside connections).
   */
  host?: string;
  /**
   * Threads (pool) or processes (cluster). The reactor always runs one.
   * Default: env `WEB_CONCURRENCY`, else `os.availableParallelism()`.
   */
  workers?: number;
  /** Protocol limits and timeouts; see {@link Limits}. */
  limits?: Limits;
  /** Milliseconds `close()` and shutdown signals wait for in-flight requests. Default 10000. */
  graceMs?: number;
  /** Close gracefully on SIGTERM and SIGINT, then exit. Default true. */
  signals?: boolean;
  /**
   * Where the app runs (this process, each pool thread, each cluster
   * process), make the global `Response` core's FastResponse and the global
   * `Request` one that accepts the lazy requests handlers get, so apps that
   * use the globals (Hono apps among them) take the fast path. The platform's
   * classes come back when the server closes. Default: env
   * `SWITCHYARD_FAST_GLOBALS` (`1`/`true` or `0`/`false`), else true.
   */
  fastGlobals?: boolean;
  /**
   * What an error no handler awaited does: a rejected promise nobody
   * handles, or a throw from a timer or event listener. `'crash'` leaves
   * Node's default (the process ends). `'log'` reports it with the request
   * whose code raised it, and keeps serving. Default: env
   * `SWITCHYARD_UNHANDLED_ERRORS`, else `'crash'` from code and `'log'` under
   * the CLI.
   */
  unhandledErrors?: UnhandledErrors;
  /**
   * Paths (without the query) of health and readiness probes: never shed
   * by `limits.maxEventLoopDelay`, `limits.maxInFlight` or the pool's
   * `limits.maxQueue`. Default `['/health', '/healthz', '/readyz']`.
   */
  healthPaths?: string[];
  /**
   * Where the server reports handler failures and lifecycle events: an
   * object with `error`, `warn` and `info`, or a pino logger (its lines
   * then carry errors as `err`, and access logs go to it too). Default
   * `console`, or a pino logger on stdout when `log` is on. A pino logger
   * fits `Logger` as it is; naming pino's type here would make these types
   * need @types/node.
   */
  logger?: Logger;
  /**
   * Serve Prometheus metrics from the runner, never the app: a port number
   * (a listener of its own, path `/metrics`) or a path on the server's port.
   * `true` means the path `/metrics`. Default: env `SWITCHYARD_METRICS`, else off.
   */
  metrics?: number | string | boolean;
  /**
   * Access logs: one JSON line per request through pino, at `'info'` or
   * `'debug'`. Default: env `SWITCHYARD_LOG`, else off.
   */
  log?: 'info' | 'debug' | boolean;
  /**
   * Liveness and readiness probes answered by the runner without reaching
   * the app: `true` for `/livez` and `/readyz`, or `{ live, ready }` paths.
   * Default: env `SWITCHYARD_HEALTH` (`1`, or `live,ready` paths), else off.
   */
  health?: boolean | { live?: string; ready?: string };
  /**
   * Carry `ctx.channel` messages to every other instance of the app (other
   * machines, behind a load balancer): a `redis://` URL (needs the
   * `@switchyard/redis` package) or a `ChannelBridge` of your own. Default:
   * env `SWITCHYARD_CHANNEL`, else off (channels reach this instance's
   * threads and processes only).
   */
  channel?: string | ChannelBridge;
  // `object`, not Record<string, unknown>: a value typed with the backend's
  // interface (PoolOptions, ...) has no index signature, and would not fit.
  /** Options for `@switchyard/pool` (its `PoolOptions`). */
  pool?: object;
  /** Options for `@switchyard/cluster` (its `ClusterOptions`). */
  cluster?: object;
  /** Options for `@switchyard/threads` (its `ThreadsOptions`: the cluster's supervision settings, for threads). */
  threads?: object;
}

/** See `ServeOptions.unhandledErrors`. */
export type UnhandledErrors = 'log' | 'crash';

/** `serve()` options of `@switchyard/core`, which also names the backend. */
export interface ServeByNameOptions extends ServeOptions {
  /** Which backend package runs the app. Default: env `SWITCHYARD_BACKEND`, else `reactor`. */
  backend?: BackendName;
}

/** Figures for one thread or process. */
export interface WorkerStats {
  id: number;
  pid?: number;
  requests: number;
  inFlight: number;
  [figure: string]: unknown;
}

/** Event-loop health of one thread or process. */
export interface LoopStats {
  /** Median event-loop delay, in milliseconds: how late the loop ran a timer (0 when idle). */
  delayP50Ms: number;
  /** 99th-percentile event-loop delay, in milliseconds. */
  delayP99Ms: number;
  /** Share of time the loop was busy since the previous `stats()` call, 0..1. */
  utilization: number;
}

/**
 * Carries channel messages between instances of a server. Messages are
 * bytes (what `v8.serialize` makes of them). `publish` never blocks: a
 * bridge that cannot send buffers a bounded amount, then drops and counts.
 */
export interface ChannelBridge {
  publish(name: string, data: Uint8Array): void;
  /** Messages other instances published; never this instance's own. */
  onMessage(listener: (name: string, data: Uint8Array) => void): void;
  stats(): ChannelBridgeStats;
  close(): Promise<void>;
}

export interface ChannelBridgeStats {
  /** What carries the messages, e.g. `'redis'`. */
  transport: string;
  /** Whether messages go out now, rather than into the buffer. */
  connected: boolean;
  /** Messages sent to the other instances, and received from them. */
  published: number;
  received: number;
  /** Messages waiting for the connection to come back. */
  buffered: number;
  /** Messages dropped because the buffer was full. */
  dropped: number;
  /** Times the connection was lost and made again. */
  reconnects: number;
}

export interface ServerStats {
  backend: BackendName;
  /** Requests received since start. */
  requests: number;
  /** Requests being handled now. */
  inFlight: number;
  /** Requests waiting for a handler. */
  queued: number;
  /** Requests refused because the queue was full or the server was closing. */
  rejected: number;
  /** The accepting thread's event loop. */
  eventLoop: LoopStats;
  workers: WorkerStats[];
  /** The bridge to other instances, when `channel` is set. */
  channel?: ChannelBridgeStats;
  /** WebSockets open now, when the app takes WebSockets. */
  websockets?: number;
}

export interface CloseOptions {
  /** Milliseconds to wait for in-flight requests before cutting them. Default: the server's `graceMs`. */
  graceMs?: number;
}

/** What `serve()` resolves to once the server is listening. */
export interface RunningServer extends AsyncDisposableWhereKnown {
  readonly url: string;
  readonly port: number;
  readonly backend: BackendName;
  stats(): Promise<ServerStats>;
  /** Stops accepting, lets in-flight requests finish, runs teardown. Safe to call twice. */
  close(options?: CloseOptions): Promise<void>;
}

/** What a backend package exports. */
export interface BackendModule {
  serve(options: ServeOptions): Promise<RunningServer>;
}
