import type { IncomingMessage } from 'node:http';
import { bodyTooLarge } from '../errors.js';
import { collectBytes, delegateToNativeRequest, LazyBody, toBytes } from '../lazy-request.js';
import { NativeRequest } from '../natives.js';
import { readBody, requestHasBody } from './body.js';
import { requestUrl } from './target.js';

/** What the lazy request needs from its surroundings. */
export interface NodeRequestOptions {
  readonly maxBodySize: number;
  /** The request's abort signal (the ctx's), read only when the handler reads `request.signal`. */
  readonly signal: AbortSignal;
  /** Called once when the body passes the limit, so the server can answer 413. */
  onTooLarge(): void;
}

/**
 * A `Request` that reads method, url and headers straight from the
 * IncomingMessage and builds the native `Request` only when something rare
 * (clone, formData, cache...) is touched. Bodies are read from the socket
 * once, counted against `maxBodySize`, and never copied twice.
 */
export class NodeRequest extends LazyBody {
  readonly #req: IncomingMessage;
  readonly #options: NodeRequestOptions;
  #url: string | undefined;
  #headers: Headers | undefined;
  #body: ReadableStream<Uint8Array> | null | undefined;
  #bodyUsed = false;
  #received = 0;
  #native: Request | undefined;

  constructor(req: IncomingMessage, options: NodeRequestOptions) {
    super();
    this.#req = req;
    this.#options = options;
  }

  /** The IncomingMessage behind this request, for code that needs Node's own API. */
  get raw(): IncomingMessage {
    return this.#req;
  }

  get method(): string {
    return this.#req.method ?? 'GET';
  }

  get url(): string {
    // The server refused requests without a valid URL before the app ran (http-server.ts).
    return (this.#url ??= requestUrl(this.#req) ?? 'http://localhost/');
  }

  get headers(): Headers {
    if (!this.#headers) {
      const headers = new Headers();
      const raw = this.#req.rawHeaders;
      for (let i = 0; i < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
      this.#headers = headers;
    }
    return this.#headers;
  }

  get signal(): AbortSignal {
    return this.#options.signal;
  }

  get bodyUsed(): boolean {
    return this.#bodyUsed;
  }

  get #hasBody(): boolean {
    const { method } = this;
    // From the raw headers: `req.headers` would make Node build the whole header object.
    return method !== 'GET' && method !== 'HEAD' && requestHasBody(this.#req);
  }

  get body(): ReadableStream<Uint8Array> | null {
    if (this.#body === undefined) this.#body = this.#hasBody ? this.#stream() : null;
    return this.#body;
  }

  #count(length: number): boolean {
    this.#received += length;
    if (this.#received <= this.#options.maxBodySize) return true;
    this.#options.onTooLarge();
    return false;
  }

  #stream(): ReadableStream<Uint8Array> {
    const req = this.#req;
    const limit = this.#options.maxBodySize;
    // Failed at the limit (the server then discards the rest: linger.ts) or cancelled: the stream takes no more.
    let failed = false;
    return new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          req.on('data', (chunk: Buffer) => {
            if (failed) return;
            if (!this.#count(chunk.byteLength)) {
              failed = true;
              req.pause();
              controller.error(bodyTooLarge(limit));
              return;
            }
            controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
            if ((controller.desiredSize ?? 0) <= 0) req.pause();
          });
          req.once('end', () => failed || controller.close());
          req.once('error', (error) => failed || controller.error(error));
        },
        pull: () => {
          req.resume();
        },
        cancel: () => {
          failed = true;
          // Let Node discard the rest, so the connection can be reused.
          req.resume();
        },
      },
      { highWaterMark: 64 * 1024, size: (chunk) => chunk.byteLength },
    );
  }

  /**
   * The whole body in one buffer (LazyBody's readers build on it), read
   * straight from the socket's 'data' events (readBody): an async iterator
   * over the request costs more promises and stream helpers than a small
   * JSON body's parse.
   */
  protected readAll(): Promise<Uint8Array> {
    return this.#read(asBytes);
  }

  protected override readWhole<T>(finish: (bytes: Uint8Array) => T): Promise<T> {
    return this.#read(finish);
  }

  /** The body, passed through `finish` as the read settles. */
  #read<T>(finish: (bytes: Uint8Array) => T): Promise<T> {
    if (this.#native) return this.#native.arrayBuffer().then((buffer) => finish(toBytes(buffer)));
    // A request without a body is never "used" (Fetch: only a non-null body is disturbed).
    if (!this.#hasBody) return Promise.resolve(new Uint8Array(0)).then(finish);
    if (this.#bodyUsed) return Promise.reject(new TypeError('Body is unusable: Body has already been read'));
    this.#bodyUsed = true;
    if (this.#body) return collectBytes(this.#body).then(finish);
    return readBody(this.#req, this.#options.maxBodySize, () => this.#options.onTooLarge(), false, finish);
  }

  formData(): Promise<FormData> {
    return this.#toNative().formData();
  }

  clone(): Request {
    return this.#toNative().clone();
  }

  #toNative(): Request {
    if (!this.#native) {
      if (this.#bodyUsed) throw new TypeError('Body is unusable: Body has already been read');
      const body = this.body;
      this.#native = new NativeRequest(this.url, {
        method: this.method,
        headers: this.headers,
        body,
        signal: this.signal,
        // Required by Node for a stream body; harmless without one.
        duplex: 'half',
      } as RequestInit);
    }
    return this.#native;
  }

  /** Used by the remaining Request members, which few handlers touch. */
  get native(): Request {
    return this.#toNative();
  }
}

delegateToNativeRequest(NodeRequest);

const asBytes = (bytes: Uint8Array): Uint8Array => bytes;
