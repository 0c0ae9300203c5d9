import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from '../types.js';
import { wantsOpenMetrics } from './board.js';
import type { HealthPaths } from './options.js';

export interface Scrape {
  body: string;
  contentType: string;
}

export interface EndpointOptions {
  health: HealthPaths | undefined;
  /** Where `/metrics` is answered, if here. */
  metricsPath: string | undefined;
  /** Why the server is not ready (starting, draining, a suspected crash loop), or undefined when it is; a promise where it must be asked. */
  notReady: () => string | undefined | Promise<string | undefined>;
  /** Why the process does not count as live, or undefined when it does. Default: live whenever this answers. */
  notLive?: () => string | undefined;
  scrape: ((openMetrics: boolean) => Promise<Scrape>) | undefined;
  logger: Logger;
}

const LIVE = 1;
const READY = 2;
const METRICS = 3;

function answer(res: ServerResponse, status: number, body: string, contentType = 'text/plain; charset=utf-8', head = false): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
  res.end(head ? undefined : body);
}

function answerReadiness(res: ServerResponse, notReady: string | undefined, head: boolean): void {
  answer(res, notReady === undefined ? 200 : 503, notReady === undefined ? 'ready\n' : `not ready: ${notReady}\n`, undefined, head);
}

/**
 * The paths the runner answers itself, before the app and its limits:
 * liveness (the process serves), readiness (every worker ready, not
 * draining, no crash loop) and `/metrics`. A probe that waited behind the
 * app's requests, or that the app could answer wrongly, would tell a load
 * balancer nothing.
 */
export class RunnerEndpoints {
  readonly #paths = new Map<string, number>();
  readonly #options: EndpointOptions;

  constructor(options: EndpointOptions) {
    this.#options = options;
    if (options.health) {
      this.#paths.set(options.health.live, LIVE);
      this.#paths.set(options.health.ready, READY);
    }
    if (options.metricsPath) this.#paths.set(options.metricsPath, METRICS);
  }

  get empty(): boolean {
    return this.#paths.size === 0;
  }

  /** True when `req` was one of the runner's paths and has been answered. */
  answer(req: IncomingMessage, res: ServerResponse): boolean {
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    const kind = this.#paths.get(query === -1 ? url : url.slice(0, query));
    if (kind === undefined) return false;
    const head = req.method === 'HEAD';
    if (req.method !== 'GET' && !head) {
      res.setHeader('allow', 'GET, HEAD');
      answer(res, 405, 'Method Not Allowed\n');
      return true;
    }
    if (kind === LIVE) {
      const why = this.#options.notLive?.();
      answer(res, why === undefined ? 200 : 503, why === undefined ? 'ok\n' : `not live: ${why}\n`, undefined, head);
    } else if (kind === READY) {
      const why = this.#options.notReady();
      if (typeof why === 'object') void why.then((reason) => answerReadiness(res, reason, head));
      else answerReadiness(res, why, head);
    } else this.#metrics(req, res, head);
    return true;
  }

  #metrics(req: IncomingMessage, res: ServerResponse, head: boolean): void {
    const scrape = this.#options.scrape;
    if (!scrape) return answer(res, 404, 'Not Found\n');
    scrape(wantsOpenMetrics(req.headers.accept)).then(
      ({ body, contentType }) => answer(res, 200, body, contentType, head),
      (error: unknown) => {
        this.#options.logger.error('[switchyard] /metrics failed', error);
        if (!res.headersSent) answer(res, 500, 'Internal Server Error\n');
      },
    );
  }
}

/** A listener of the runner's own (`metrics: <port>`): its endpoints, 404 for anything else. */
export function createOpsServer(endpoints: RunnerEndpoints): Server {
  return createServer((req, res) => {
    if (!endpoints.answer(req, res)) answer(res, 404, 'Not Found\n');
  });
}
