/**
 * A light `Response` for string and byte bodies. The global `Response` costs
 * about as much to build in Node 20 as a whole raw `node:http` request, so this
 * one stores its arguments and lets backends write them directly; it builds a
 * native `Response` only when something exotic (a body stream, `clone()`,
 * `blob()`) is touched. It is a real `instanceof Response` and patches nothing.
 */

import type { HeadersInput } from './fetch-types.js';
import { markUncloneable, NativeResponse } from './natives.js';

/** What a backend may write without touching a native Response. */
export interface FastResponseState {
  status: number;
  statusText: string;
  /** Either the caller's `HeadersInit` or a `Headers` someone asked for. */
  headers: HeadersInput;
  /** The content type the platform would add when `headers` has none. */
  defaultContentType: string | undefined;
  body: string | Uint8Array | null;
}

type FastBody = string | Uint8Array | null;

function isFastBody(body: unknown): body is FastBody | ArrayBuffer | undefined {
  return body == null || typeof body === 'string' || body instanceof Uint8Array || body instanceof ArrayBuffer;
}

function defaultContentType(body: FastBody): string | undefined {
  return typeof body === 'string' ? 'text/plain;charset=UTF-8' : undefined;
}

/** Shared by every `FastResponse.json` without headers of its own; never mutated (`headers` copies it). */
const JSON_HEADERS: Readonly<Record<string, string>> = Object.freeze({ 'content-type': 'application/json' });

/** Statuses whose responses have no body (Fetch, "null body status"); 101 and 103 are below the accepted range. */
const NULL_BODY_STATUS = new Set([204, 205, 304]);

/**
 * The caller's headers as they are now: the native Response copies them at
 * construction, so later changes to the caller's object must not show. A
 * Headers or a list becomes a list of pairs (what flattenHeaders reads
 * fastest); a plain object a shallow copy; the frozen JSON headers as they are.
 */
function snapshotHeaders(init: HeadersInit | undefined): HeadersInit | undefined {
  if (init === undefined || init === JSON_HEADERS) return init;
  if (init instanceof Headers || Array.isArray(init)) {
    const pairs: [string, string][] = [];
    for (const pair of init as Iterable<readonly string[]>) {
      if (pair.length !== 2) throw new TypeError('Headers constructor: expected name/value pair to be length 2');
      pairs.push([String(pair[0]), String(pair[1])]);
    }
    return pairs;
  }
  if (init === null || typeof init !== 'object') throw new TypeError('Response constructor: headers must be an object');
  return { ...init };
}

let readState: (response: object) => FastResponseState | undefined;

class LightResponse {
  #status: number;
  #statusText: string;
  #headersInit: HeadersInit | undefined;
  #headers: Headers | undefined;
  #body: FastBody;
  #bodyUsed = false;
  #native: Response | undefined;

  static {
    readState = (response: object) => {
      if (!(#status in response) || response.#native) return undefined;
      return {
        status: response.#status,
        statusText: response.#statusText,
        headers: response.#headers ?? response.#headersInit,
        defaultContentType: response.#headers ? undefined : defaultContentType(response.#body),
        body: response.#body,
      };
    };
  }

  constructor(body?: BodyInit | null, init?: ResponseInit) {
    const status = init?.status ?? 200;
    if (!Number.isInteger(status) || status < 200 || status > 599) {
      throw new RangeError(`init["status"] must be in the range of 200 to 599, inclusive (got ${status})`);
    }
    if (body != null && NULL_BODY_STATUS.has(status)) {
      throw new TypeError(`Response with a ${status} status cannot have a body`);
    }
    markUncloneable(this);
    this.#status = status;
    this.#statusText = init?.statusText ?? '';
    this.#headersInit = snapshotHeaders(init?.headers);
    if (isFastBody(body)) {
      this.#body = body instanceof ArrayBuffer ? new Uint8Array(body) : (body ?? null);
    } else {
      // Streams, blobs, forms: let the platform handle them from the start.
      this.#body = null;
      this.#native = new NativeResponse(body, init);
    }
  }

  static json(data: unknown, init?: ResponseInit): Response {
    const body = JSON.stringify(data);
    if (body === undefined) throw new TypeError('Value is not JSON serializable');
    // Most calls pass no headers: a plain object then, as building a Headers costs more than the stringify.
    if (init?.headers === undefined) return new FastResponse(body, { ...init, headers: JSON_HEADERS });
    const headers = new Headers(init.headers);
    if (!headers.has('content-type')) headers.set('content-type', 'application/json');
    return new FastResponse(body, { ...init, headers });
  }

  static redirect(url: string | URL, status = 302): Response {
    return NativeResponse.redirect(url, status);
  }

  static error(): Response {
    return NativeResponse.error();
  }

  /**
   * `x instanceof FastResponse` holds for any Response, native ones included,
   * so FastResponse can stand in for the global `Response` (globals.ts); a
   * subclass matches its own instances only.
   */
  static [Symbol.hasInstance](value: unknown): boolean {
    if (this === LightResponse) return value instanceof NativeResponse;
    return Object.prototype.isPrototypeOf.call(this.prototype, value as object);
  }

  #toNative(): Response {
    if (!this.#native) {
      this.#native = new NativeResponse(this.#body as BodyInit | null, {
        status: this.#status,
        statusText: this.#statusText,
        headers: this.headers,
      });
    }
    return this.#native;
  }

  #take(): FastBody {
    // A null body is never used (Fetch: only a non-null body is disturbed).
    if (this.#body === null) return null;
    if (this.#bodyUsed) throw new TypeError('Body is unusable: Body has already been read');
    this.#bodyUsed = true;
    return this.#body;
  }

  get status(): number {
    return this.#native ? this.#native.status : this.#status;
  }
  get statusText(): string {
    return this.#native ? this.#native.statusText : this.#statusText;
  }
  get ok(): boolean {
    const status = this.status;
    return status >= 200 && status < 300;
  }
  get headers(): Headers {
    if (this.#native) return this.#native.headers;
    if (!this.#headers) {
      this.#headers = new Headers(this.#headersInit);
      const type = defaultContentType(this.#body);
      if (type !== undefined && !this.#headers.has('content-type')) this.#headers.set('content-type', type);
    }
    return this.#headers;
  }
  get type(): ResponseType {
    return this.#native ? this.#native.type : 'default';
  }
  get url(): string {
    return this.#native ? this.#native.url : '';
  }
  get redirected(): boolean {
    return this.#native ? this.#native.redirected : false;
  }
  get body(): ReadableStream<Uint8Array> | null {
    if (!this.#native && this.#body === null) return null;
    return this.#toNative().body;
  }
  get bodyUsed(): boolean {
    return this.#native ? this.#native.bodyUsed : this.#bodyUsed;
  }
  clone(): Response {
    return this.#toNative().clone();
  }
  async text(): Promise<string> {
    if (this.#native) return this.#native.text();
    const body = this.#take();
    if (body === null) return '';
    return typeof body === 'string' ? body : new TextDecoder().decode(body);
  }
  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }
  async bytes(): Promise<Uint8Array> {
    if (this.#native) return new Uint8Array(await this.#native.arrayBuffer());
    const body = this.#take();
    if (body === null) return new Uint8Array(0);
    return typeof body === 'string' ? new TextEncoder().encode(body) : body.slice();
  }
  async arrayBuffer(): Promise<ArrayBuffer> {
    return (await this.bytes()).buffer as ArrayBuffer;
  }
  blob(): Promise<Blob> {
    return this.#toNative().blob();
  }
  formData(): Promise<FormData> {
    return this.#toNative().formData();
  }
}

// `instanceof Response` holds, while every member above shadows the native one;
// statics it does not define are the native ones.
Object.setPrototypeOf(LightResponse.prototype, NativeResponse.prototype);
Object.setPrototypeOf(LightResponse, NativeResponse);
Object.defineProperty(LightResponse.prototype, Symbol.toStringTag, { value: 'Response' });

/**
 * A drop-in `Response` for apps that want the fast path:
 * `import { FastResponse as Response } from '@switchyard/core'`.
 */
export const FastResponse = LightResponse as unknown as typeof Response;

/** The fast-path state of a FastResponse, or undefined for any other response. */
export function fastResponseState(response: object): FastResponseState | undefined {
  return readState(response);
}
