import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AccessLog } from './access-log.js';
import type { RequestRecorder } from './recorder.js';

/**
 * Where a backend reports each request's end, for metrics and access logs.
 * Backends hold `undefined` when both are off, so a server without them
 * pays one comparison per request.
 */
export class RequestObserver {
  readonly recorder: RequestRecorder | undefined;
  readonly #access: AccessLog | undefined;

  constructor(recorder: RequestRecorder | undefined, access: AccessLog | undefined) {
    this.recorder = recorder;
    this.#access = access;
  }

  /** As a request arrives, before anything answers it. */
  begin(req: IncomingMessage, res: ServerResponse): void {
    this.#access?.begin(req, res);
  }

  /** The request is over for its client; `startedAt` is `performance.now()` when its head arrived. */
  end(req: IncomingMessage, res: ServerResponse, startedAt: number, worker: number): void {
    const ms = performance.now() - startedAt;
    const status = res.headersSent ? res.statusCode : 0;
    this.recorder?.record(worker, req.method, status, ms);
    this.#access?.end(req, res, status, ms, worker);
  }

  /** The server is closing: access lines still waiting go out. */
  close(): void {
    this.#access?.close();
  }

  /** A request refused with 503 before any handler ran. */
  rejected(worker: number): void {
    this.recorder?.rejected(worker);
  }
}
