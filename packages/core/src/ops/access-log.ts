import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { accessTag, tagResponse } from '../node/head.js';
import { headerValue } from '../node/headers.js';
import type { PinoLike } from './options.js';
import { recordStream } from './pino-logger.js';
import { accessDetail, accessLine, type AccessFields } from './record.js';

const REQUEST_ID = 'x-request-id';
/**
 * A batch of access lines goes to the log thread this long after its first
 * line, or sooner at this size. Every hand-over wakes the log thread, whose
 * cost is mostly per wake-up: at 16 KiB it spent about 1.3 µs a line, at
 * 64 KiB 0.8 and with 20 ms batches 0.6 (the reactor's hello, 20k req/s).
 * The size only bounds what waits: 20 ms of lines at 60k req/s.
 */
export const HAND_OVER_CHARS = 262_144;
const HAND_OVER_MS = 20;
const PID = process.pid;

/** Access logs whose lines may still wait: handed over before pino's own exit handler ends the log thread. */
const pending = new Set<AccessLog>();
let exitHooked = false;
function hookExit(): void {
  if (exitHooked) return;
  exitHooked = true;
  process.prependListener('exit', () => {
    for (const log of pending) log.flush();
  });
}
/** A request id taken from the client: visible ASCII, bounded, so it is safe to echo and log. */
const ACCEPTABLE_ID = /^[\x21-\x7e]{1,200}$/;

/** The client's `X-Request-Id` when usable. */
function clientRequestId(req: IncomingMessage): string | undefined {
  const value = headerValue(req.rawHeaders, REQUEST_ID);
  return value !== undefined && ACCEPTABLE_ID.test(value) ? value : undefined;
}

/**
 * One JSON line per request through pino: method, path, status, bytes (the
 * response's Content-Length; null for a streamed body), duration, worker
 * and request id. The id is the client's `X-Request-Id` or a new UUID, and
 * the response carries it back. At pino's `debug` level, lines also carry
 * the client's address and user agent.
 */
export class AccessLog {
  readonly #pino: PinoLike;
  readonly #detailed: boolean;
  /** The log thread's stream when `pino` is Switchyard's own: lines built here in pino's format go there as they are. */
  readonly #records: { write(chunk: string): boolean } | undefined;
  /**
   * Lines not yet handed over. They go together once HAND_OVER_CHARS have
   * gathered or HAND_OVER_MS after the first: each hand-over wakes the log
   * thread and copies into shared memory, which costs several times more
   * per line in batches of a few lines (one turn of the loop under light
   * load) than in batches of many.
   */
  #lines: string[] = [];
  #chars = 0;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;
  readonly #handOver = () => {
    const lines = this.#lines;
    if (lines.length === 0) return;
    this.#lines = [];
    this.#chars = 0;
    // Joined, the batch is one flat string, which Buffer.from (in the log thread's stream) measures and
    // encodes in two fast passes; a batch grown with += is a tree of pieces, which Node 20 first copies
    // whole just to count its bytes (measured: most of the hand-over's cost).
    this.#records!.write(lines.length === 1 ? lines[0]! : lines.join(''));
  };

  /** `records`: where built lines go; by default the log thread's stream of a pino `createPino` made, else none (lines go through `pino.info`). */
  constructor(pino: PinoLike, records = recordStream(pino)) {
    this.#pino = pino;
    this.#detailed = pino.isLevelEnabled('debug');
    this.#records = records;
    if (this.#records !== undefined) {
      hookExit();
      pending.add(this);
    }
  }

  /** Hands over what is waiting; called as the server closes and as the process exits. */
  flush(): void {
    // The timer stays: one cleared with clearTimeout cannot be refreshed again, and firing on an empty batch does nothing.
    this.#handOver();
  }

  /** From now on each line goes at once: the server is closing, and the process may exit before a timer fires. */
  close(): void {
    this.flush();
    this.#closed = true;
    pending.delete(this);
  }

  /** As the request arrives: give it its id, echoed on the response's head (node/head.ts). */
  begin(req: IncomingMessage, res: ServerResponse): void {
    tagResponse(res, clientRequestId(req) ?? randomUUID());
  }

  /** As it ends: `status` 0 when the client left before an answer. */
  end(req: IncomingMessage, res: ServerResponse, status: number, ms: number, worker: number): void {
    const tag = accessTag(res);
    const method = req.method ?? '';
    const path = req.url ?? '';
    const bytes = tag?.bytes ?? null;
    const durationMs = Math.round(ms * 1000) / 1000;
    const requestId = tag?.id ?? '';
    const remoteAddress = this.#detailed ? (req.socket.remoteAddress ?? '') : undefined;
    const userAgent = this.#detailed ? (headerValue(req.rawHeaders, 'user-agent') ?? '') : undefined;
    if (this.#records === undefined) {
      const fields: AccessFields = { method, path, status, bytes, durationMs, worker, requestId };
      if (this.#detailed) {
        fields.remoteAddress = remoteAddress;
        fields.userAgent = userAgent;
      }
      return void this.#pino.info(fields, 'request');
    }
    if (this.#lines.length === 0) (this.#timer ??= setTimeout(this.#handOver, HAND_OVER_MS).unref()).refresh();
    // Built from its parts, with no fields object: this runs for every request.
    const detail = this.#detailed ? accessDetail(remoteAddress, userAgent) : '';
    const line = accessLine(Date.now(), PID, method, path, status, bytes, durationMs, worker, requestId, detail);
    this.#lines.push(line);
    this.#chars += line.length;
    if (this.#closed || this.#chars >= HAND_OVER_CHARS) this.flush();
  }
}
