/// <reference types="node" preserve="true" />
// The suite's helpers take Node's types: loaded from @types/node, or named as missing.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe } from 'vitest';
import type { BackendName, RunningServer, ServeOptions } from '../types.js';
import { bodyTests } from './bodies.js';
import { faultTests } from './faults.js';
import { hostTests } from './hosts.js';
import { collectingLogger, EventLog } from './helpers.js';
import { lifecycleTests } from './lifecycle.js';
import { opsTests } from './ops.js';
import { overloadTests } from './overload.js';
import { protocolTests } from './protocol.js';

/** What a backend can and cannot honour; the suite tests each either way. */
export interface Capabilities {
  /** A handler stuck in a synchronous loop is cut off at the request timeout. */
  interruptsSyncLoop: boolean;
  /**
   * With `interruptsSyncLoop`: the stuck context is killed and replaced (the
   * cluster's heartbeat watchdog), so the stuck request's client sees its
   * connection close instead of a 503/504: no other process holds its socket.
   */
  syncLoopCutsConnection?: boolean;
  /**
   * Contexts listen on one shared port (reusePort), so the kernel keeps
   * handing new connections to a stuck context until it is replaced, and
   * spreads connections by a hash rather than in turn: the threads backend.
   */
  sharedPort?: boolean;
  /** Threads or processes the server runs when given `workers` (1 for the reactor). */
  contexts: number;
  /** One connection's pipelined requests run side by side, on several threads (the pool), not one after another. */
  spreadsPipelined?: boolean;
}

export interface ConformanceOptions {
  backend: BackendName;
  serve: (options: ServeOptions) => Promise<RunningServer>;
  /** Passed as `workers`. Default 2. */
  workers?: number;
  capabilities: Capabilities;
  /** Passed as `fastGlobals`. Default: the server's default (on). */
  fastGlobals?: boolean;
  /**
   * `plain` (default): the conformance app as a `{ fetch }` module. `hono`:
   * the same routes served through an unchanged Hono app (Hono's router,
   * context and not-found answer), which needs `hono` installed.
   */
  app?: 'plain' | 'hono';
}

/** The limits the suite runs under: small, so limit tests stay fast. */
export const conformanceLimits = {
  maxHeaderSize: 8 * 1024,
  maxBodySize: 1024 * 1024,
  requestTimeout: 1_500,
  // Not shorter: on a loaded 2-core machine running several suites at once, a
  // process can be starved long enough that Node answers a fresh request 408.
  headersTimeout: 1_000,
  keepAliveTimeout: 2_000,
};

const APP_FILES = { plain: 'conformance-app.mjs', hono: 'conformance-hono-app.mjs' } as const;

/** Where the conformance app lives; `log` names the events file. */
export function conformanceAppUrl(logPath: string, app: keyof typeof APP_FILES = 'plain'): URL {
  const url = new URL(`../../fixtures/${APP_FILES[app]}`, import.meta.url);
  url.searchParams.set('log', logPath);
  return url;
}

/** What each group of tests gets: the shared server and its surroundings. */
export interface SuiteEnv {
  readonly options: ConformanceOptions;
  readonly server: RunningServer;
  readonly log: EventLog;
  readonly logger: ReturnType<typeof collectingLogger>;
  url(path: string): string;
  /** Starts a server of its own, for tests that stop it. */
  start(overrides?: Partial<ServeOptions>): Promise<{ server: RunningServer; log: EventLog }>;
}

/**
 * Defines the conformance suite for one backend. Call it at the top level of
 * a test file: `defineConformanceSuite({ backend: 'reactor', serve, capabilities })`.
 */
export function defineConformanceSuite(options: ConformanceOptions): void {
  const workers = options.workers ?? 2;
  let server: RunningServer | undefined;
  const log = new EventLog();
  const logger = collectingLogger();
  const extra: Array<{ server: RunningServer; log: EventLog }> = [];

  const serveWith = (eventLog: EventLog, overrides: Partial<ServeOptions> = {}) =>
    options.serve({
      app: conformanceAppUrl(eventLog.path, options.app),
      ...(options.fastGlobals === undefined ? {} : { fastGlobals: options.fastGlobals }),
      port: 0,
      host: '127.0.0.1',
      workers,
      signals: false,
      logger,
      limits: conformanceLimits,
      graceMs: 2_000,
      ...overrides,
    });

  const env: SuiteEnv = {
    options,
    get server() {
      if (!server) throw new Error('the conformance server did not start');
      return server;
    },
    log,
    logger,
    url: (path) => `${env.server.url}${path}`,
    async start(overrides) {
      const ownLog = new EventLog();
      const started = { server: await serveWith(ownLog, overrides), log: ownLog };
      extra.push(started);
      return started;
    },
  };

  const variant = [options.app === 'hono' ? 'a Hono app' : '', options.fastGlobals === false ? 'the platform globals' : ''].filter(Boolean);
  describe(`${options.backend} conformance${variant.length ? ` (${variant.join(', ')})` : ''}`, () => {
    beforeAll(async () => {
      server = await serveWith(log);
    });
    afterAll(async () => {
      await Promise.all([server?.close(), ...extra.map((e) => e.server.close())]);
      log.remove();
      for (const e of extra) e.log.remove();
    });
    protocolTests(env);
    bodyTests(env);
    faultTests(env);
    hostTests(env);
    overloadTests(env);
    lifecycleTests(env);
    // Once per backend: the runner's own endpoints do not depend on the app's kind.
    if (options.app !== 'hono' && options.fastGlobals !== false) opsTests(env);
  });
}

export { freePort, metricSum, opsAppUrl, scrapeUntil } from './ops.js';
export { defineWebSocketSuite, websocketAppUrl } from './websockets.js';
export { openSocket, TestSocket } from './ws-client.js';
export { collectingLogger, EventLog, rawExchange, rawUpload, readEvents, statuses, waitFor } from './helpers.js';
/** The conformance app's path, for tests that want to serve it themselves. */
export const conformanceAppPath = fileURLToPath(new URL('../../fixtures/conformance-app.mjs', import.meta.url));
