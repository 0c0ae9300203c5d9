import type { Channel } from './types.js';

/** Sends a message to the other contexts of the server (threads, processes, machines). */
export type ChannelTransport = (name: string, message: unknown) => void;

/**
 * The channels of one context. Local subscribers are called from a microtask,
 * so delivery is asynchronous under every backend, never re-entrant.
 * A backend connects contexts by passing `transport` (outbound) and calling
 * `deliver` for messages that arrive from elsewhere.
 */
export class ChannelHub {
  readonly #listeners = new Map<string, Set<(message: unknown) => void>>();
  readonly #channels = new Map<string, Channel>();
  #transport: ChannelTransport | undefined;

  constructor(transport?: ChannelTransport) {
    this.#transport = transport;
  }

  /** Routes published messages to other contexts as well. */
  connect(transport: ChannelTransport): void {
    this.#transport = transport;
  }

  channel<T = unknown>(name: string): Channel<T> {
    if (typeof name !== 'string' || name === '') throw new TypeError('channel(name): name must be a non-empty string');
    let channel = this.#channels.get(name);
    if (!channel) {
      channel = {
        name,
        publish: (message: unknown) => {
          this.#transport?.(name, message);
          this.deliver(name, message);
        },
        subscribe: (listener: (message: unknown) => void) => this.#subscribe(name, listener),
      };
      this.#channels.set(name, channel);
    }
    return channel as Channel<T>;
  }

  /** Hands a message to this context's subscribers of `name`. */
  deliver(name: string, message: unknown): void {
    const listeners = this.#listeners.get(name);
    if (!listeners || listeners.size === 0) return;
    queueMicrotask(() => {
      for (const listener of [...listeners]) listener(message);
    });
  }

  subscriberCount(name: string): number {
    return this.#listeners.get(name)?.size ?? 0;
  }

  #subscribe(name: string, listener: (message: unknown) => void): () => void {
    if (typeof listener !== 'function') throw new TypeError('subscribe(listener): listener must be a function');
    let set = this.#listeners.get(name);
    if (!set) this.#listeners.set(name, (set = new Set()));
    // Wrap so the same function may subscribe twice and unsubscribe each once.
    const entry = (message: unknown) => listener(message);
    set.add(entry);
    return () => {
      set.delete(entry);
    };
  }
}
