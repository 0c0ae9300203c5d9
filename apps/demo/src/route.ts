import type { AppContext } from '@switchyard/core';

/** A method a route may take. HEAD is never listed: it comes with GET (see methods.ts). */
export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One route of the demo: what it matches, what it teaches, and how it runs. */
export interface Route {
  /** An exact path (`/cpu`), or a prefix ending in `/` (`/files/`) that matches everything under it. */
  readonly path: string;
  /**
   * The methods `handle` takes; the router answers any other with 405 and
   * `Allow`, so a handler never sees one. GET brings HEAD with it.
   */
  readonly methods: readonly Method[];
  /** A link the page's catalogue offers, with typical query values (`/cpu?ms=20`). */
  readonly example: string;
  /** One line for the page's catalogue: what this route shows. */
  readonly summary: string;
  /** Returns undefined only after `ctx.upgrade` took the request as a WebSocket: the server sends the 101. */
  handle(request: Request, ctx: AppContext, url: URL): Response | undefined | Promise<Response | undefined>;
  /** Runs once per process or thread, before traffic (open a database, start a service). */
  setup?(ctx: AppContext): void | Promise<void>;
  /** Runs once per process or thread, on shutdown. */
  teardown?(): void | Promise<void>;
}
