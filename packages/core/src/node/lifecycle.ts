import type { Server } from 'node:http';
import { onShutdownSignals } from '../signals.js';
import { RequestCounters } from '../stats.js';
import type { Logger } from '../types.js';
import { drain } from './http-server.js';

export interface CloseSteps {
  /** Runs as close begins, before the drain: tell the app, so it can end what never finishes by itself (within `graceMs`). */
  announce(graceMs: number): void;
  /** Runs after the drain: the backend's own teardown (threads, app `teardown`, monitors). */
  finish(graceMs: number): Promise<void>;
}

/**
 * The request counters and the close sequence every HTTP backend shares:
 * close once (later calls get the same promise), answer with
 * `Connection: close` from then on, announce, drain in-flight requests for up
 * to the grace period, then let the backend finish; SIGTERM/SIGINT close too.
 */
export class ServerLifecycle {
  readonly counters = new RequestCounters();
  #closing = false;
  #idle: (() => void) | undefined;
  readonly #whenIdle = new Promise<void>((resolve) => (this.#idle = resolve));
  #closed: Promise<void> | undefined;
  #removeSignals: (() => void) | undefined;

  /** True once close has begun: responses then close their connection. */
  get closing(): boolean {
    return this.#closing;
  }

  /** Call whenever a request is over for its client. */
  readonly requestDone = (): void => {
    if (this.#closing && this.counters.inFlight === 0) this.#idle?.();
  };

  /** Listens for SIGTERM and SIGINT (when `signals`) and returns the server's `close`. */
  closer(server: Server, steps: CloseSteps, options: { graceMs: number; signals: boolean; logger: Logger }): (graceMs?: number) => Promise<void> {
    const close = (graceMs = options.graceMs): Promise<void> =>
      (this.#closed ??= (async () => {
        this.#closing = true;
        this.#removeSignals?.();
        steps.announce(graceMs);
        await drain(server, () => this.counters.inFlight === 0, this.#whenIdle, graceMs);
        await steps.finish(graceMs);
      })());
    if (options.signals) this.#removeSignals = onShutdownSignals(() => close(), options.logger);
    return close;
  }
}
