/**
 * The `Request` a pool thread hands to the app, built from the plain
 * message. Method and url are read straight from it, `Headers` is made on
 * first use, and the native `Request` only when something rare (clone,
 * formData, cache...) is touched: a native one costs several microseconds
 * and copies an ArrayBuffer body, while this one reads the transferred
 * buffer in place.
 */
import { collectBytes, delegateToNativeRequest, LazyBody, NativeRequest, toBytes } from '@switchyard/core';
import type { RequestMessage } from './messages.js';

export class ThreadRequest extends LazyBody {
  readonly #message: RequestMessage;
  readonly #signal: () => AbortSignal;
  #headers: Headers | undefined;
  #body: ReadableStream<Uint8Array> | null | undefined;
  #bodyUsed = false;
  #native: Request | undefined;

  constructor(message: RequestMessage, signal: () => AbortSignal) {
    super();
    this.#message = message;
    this.#signal = signal;
  }

  get method(): string {
    return this.#message.method;
  }

  get url(): string {
    return this.#message.url;
  }

  get headers(): Headers {
    if (!this.#headers) {
      const headers = new Headers();
      const flat = this.#message.headers;
      for (let i = 0; i < flat.length; i += 2) headers.append(flat[i]!, flat[i + 1]!);
      this.#headers = headers;
    }
    return this.#headers;
  }

  get signal(): AbortSignal {
    return this.#signal();
  }

  get bodyUsed(): boolean {
    return this.#native ? this.#native.bodyUsed : this.#bodyUsed;
  }

  get body(): ReadableStream<Uint8Array> | null {
    if (this.#native) return this.#native.body;
    if (this.#body === undefined) {
      const bytes = this.#message.body;
      this.#body =
        bytes === null
          ? null
          : new ReadableStream<Uint8Array>({
              start(controller) {
                if (bytes.byteLength > 0) controller.enqueue(bytes);
                controller.close();
              },
            });
    }
    return this.#body;
  }

  /**
   * The whole body (LazyBody's readers build on it), without a copy: the
   * buffer was transferred to this thread.
   */
  protected readAll(): Promise<Uint8Array> {
    if (this.#native) return this.#native.arrayBuffer().then(toBytes);
    const bytes = this.#message.body;
    // A request without a body is never "used" (Fetch: only a non-null body is disturbed).
    if (bytes === null) return Promise.resolve(new Uint8Array(0));
    if (this.#bodyUsed) return Promise.reject(new TypeError('Body is unusable: Body has already been read'));
    this.#bodyUsed = true;
    return this.#body ? collectBytes(this.#body) : Promise.resolve(bytes);
  }

  formData(): Promise<FormData> {
    return this.native.formData();
  }

  clone(): Request {
    return this.native.clone();
  }

  /** The native Request, built once, for the members this class does not implement. */
  get native(): Request {
    if (!this.#native) {
      if (this.#bodyUsed) throw new TypeError('Body is unusable: Body has already been read');
      const { method } = this;
      const bytes = this.#message.body;
      this.#native = new NativeRequest(this.url, {
        method,
        headers: this.headers,
        body: method === 'GET' || method === 'HEAD' ? null : (this.#body ?? bytes),
        signal: this.signal,
        // Required by Node for a stream body; harmless without one.
        duplex: 'half',
      } as RequestInit);
    }
    return this.#native;
  }
}

delegateToNativeRequest(ThreadRequest);
