import type { IncomingMessage, ServerResponse } from 'node:http';
import { accessTag, tagResponse } from '../node/head.js';
import { headerValue } from '../node/headers.js';
import type { PinoLike } from './options.js';
import { type LineSink, recordStream } from './pino-logger.js';
import { lineRoom, encodeAccessLine } from './line-bytes.js';
import { accessDetail, accessLine, type AccessFields } from './record.js';
import { newRequestId } from './request-ids.js';

const REQUEST_ID = 'x-request-id';
/**
 * A batch of access lines goes to the log thread this long after its first
 * line, or sooner at this size. Every hand-over wakes the log thread, whose
 * cost is mostly per wake-up: at 16 KiB it spent about 1.3 µs a line, at
 * 64 KiB 0.8 and with 20 ms batches 0.6 (the reactor's hello, 20k req/s).
 * The size only bounds what waits: 20 ms of lines at 60k req/s.
 */
export const HAND_OVER_BYTES = 262_144;
const HAND_OVER_MS = 20;
/** The batch's buffer: a full batch and room for one more usual line. */
const BATCH_CAPACITY = HAND_OVER_BYTES + 16_384;
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
  readonly #records: LineSink | undefined;
  /**
   * Lines not yet handed over, as bytes (line-bytes.ts). They go together
   * once HAND_OVER_BYTES have gathered or HAND_OVER_MS after the first:
   * each hand-over wakes the log thread and copies into shared memory,
   * which costs several times more per line in batches of a few lines (one
   * turn of the loop under light load) than in batches of many.
   */
  #batch: Buffer | undefined;
  #used = 0;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;
  readonly #handOver = () => {
    const used = this.#used;
    if (used === 0) return;
    this.#used = 0;
    // A copy: the stream may hold what it is given past this call, and the batch's buffer is filled again.
    this.#records!.write(Buffer.from(this.#batch!.subarray(0, used)));
  };

  /** `records`: where built lines go; by default the log thread's stream of a pino `createPino` made, else none (lines go through `pino.info`). */
  constructor(pino: PinoLike, records: LineSink | undefined = recordStream(pino)) {
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
    tagResponse(res, clientRequestId(req) ?? newRequestId());
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
    this.#batch ??= Buffer.allocUnsafeSlow(BATCH_CAPACITY);
    const room = lineRoom(method, path, requestId, remoteAddress, userAgent);
    if (this.#used + room > BATCH_CAPACITY) this.#handOver();
    if (this.#used === 0) (this.#timer ??= setTimeout(this.#handOver, HAND_OVER_MS).unref()).refresh();
    // Written straight into the batch: no string, no fields object. This runs for every request.
    const time = Date.now();
    const end =
      room > BATCH_CAPACITY
        ? -1
        : encodeAccessLine(this.#batch, this.#used, time, PID, method, path, status, bytes, durationMs, worker, requestId, remoteAddress, userAgent);
    if (end >= 0) this.#used = end;
    else
      this.#place(
        accessLine(time, PID, method, path, status, bytes, durationMs, worker, requestId, this.#detailed ? accessDetail(remoteAddress, userAgent) : ''),
      );
    if (this.#closed || this.#used >= HAND_OVER_BYTES) this.flush();
  }

  /** A line the byte path does not cover (escapes, text beyond ASCII, odd numbers), encoded from its string. */
  #place(line: string): void {
    const size = Buffer.byteLength(line);
    if (this.#used + size > BATCH_CAPACITY) this.#handOver();
    if (size > BATCH_CAPACITY) this.#records!.write(line);
    else this.#used += this.#batch!.write(line, this.#used);
  }
}
