import type { ChannelHub } from './channel.js';
import type { AppContext, BackendName, Channel, UpgradeOptions, WebSocketData } from './types.js';

/** What stays the same for every request of one thread or process. */
export interface ContextBase {
  readonly backend: BackendName;
  readonly workerId: number;
  readonly hub: ChannelHub;
  /** Sends to a WebSocket topic in every context; absent where the app takes no WebSockets. */
  readonly publish?: ((topic: string, data: WebSocketData) => number) | undefined;
}

/** Told when a handler first reads `ctx.signal`, to start listening for the client leaving. */
export interface ClientWatcher {
  watchClient(): void;
  /** Accepts the request as a WebSocket, when it is a handshake the app can take (see `AppContext.upgrade`). */
  upgrade?(options: UpgradeOptions<unknown>): boolean;
}

/**
 * The per-request `ctx`. The AbortController is made only when a handler
 * reads `signal`, since most handlers never do and one costs about a
 * microsecond; an abort that came earlier is replayed then.
 */
export class RequestContext implements AppContext {
  readonly #base: ContextBase;
  readonly #watcher: ClientWatcher | undefined;
  #controller: AbortController | undefined;
  #abortReason: unknown;
  #aborted = false;

  /** `watcher` hears when `signal` is first read, to start listening for the client leaving. */
  constructor(base: ContextBase, watcher?: ClientWatcher) {
    this.#base = base;
    this.#watcher = watcher;
  }

  get backend(): BackendName {
    return this.#base.backend;
  }

  get workerId(): number {
    return this.#base.workerId;
  }

  get signal(): AbortSignal {
    if (!this.#controller) {
      this.#controller = new AbortController();
      if (this.#aborted) this.#controller.abort(this.#abortReason);
      else this.#watcher?.watchClient();
    }
    return this.#controller.signal;
  }

  channel<T = unknown>(name: string): Channel<T> {
    return this.#base.hub.channel<T>(name);
  }

  upgrade<T = undefined>(_request: Request, options?: UpgradeOptions<T>): boolean {
    if (options !== undefined && (options === null || typeof options !== 'object')) throw new TypeError('upgrade(request, options): options must be an object');
    return this.#watcher?.upgrade?.(options ?? {}) ?? false;
  }

  publish(topic: string, data: WebSocketData): number {
    if (typeof topic !== 'string' || topic === '') throw new TypeError('publish(topic, data): topic must be a non-empty string');
    return this.#base.publish?.(topic, data) ?? 0;
  }

  abort(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#abortReason = reason;
    this.#controller?.abort(reason);
  }
}

/** The `ctx` given to `setup`: its signal aborts when the context shuts down. */
export function createSetupContext(base: ContextBase): RequestContext {
  return new RequestContext(base);
}

/** Why `ctx.signal` aborted: the client left. */
export function clientGone(): DOMException {
  return new DOMException('The client closed the connection', 'AbortError');
}

/** Why the `setup` context's signal aborted: the server began to close. */
export function serverShuttingDown(): DOMException {
  return new DOMException('The server is shutting down', 'AbortError');
}

/** Why `ctx.signal` aborted: the request ran past `limits.requestTimeout`. */
export function requestTimedOut(ms: number): DOMException {
  return new DOMException(`The request took longer than ${ms} ms (limits.requestTimeout)`, 'TimeoutError');
}
