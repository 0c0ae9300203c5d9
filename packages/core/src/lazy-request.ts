/**
 * Plumbing for lazy `Request` classes (the reactor's NodeRequest, the pool's
 * ThreadRequest): members they do not define go to a native `Request` built
 * on first use, and `instanceof Request` holds.
 */

import { NativeRequest } from './natives.js';

/** A class whose instances can build their native `Request` on demand. */
interface LazyRequestClass {
  prototype: LazyBody & { readonly native: Request };
}

/**
 * The body readers both lazy requests share. Each chains one `then` on the
 * whole body (`readAll`), not an async function per layer: a small JSON
 * body costs less to parse than several promises and turns.
 */
export abstract class LazyBody {
  /** The whole body in one buffer; rejects when it was read already. */
  protected abstract readAll(): Promise<Uint8Array>;
  abstract readonly headers: Headers;
  /** The platform's Request for this one, built on first use. */
  abstract readonly native: Request;

  /**
   * The whole body turned into what a reader returns. A subclass that can
   * settle its read with the result itself overrides this: one promise per
   * read instead of two, and no `then` lookup on the bytes when the first
   * one resolves (measured: about 0.1 µs a JSON body).
   */
  protected readWhole<T>(finish: (bytes: Uint8Array) => T): Promise<T> {
    return this.readAll().then(finish);
  }

  bytes(): Promise<Uint8Array> {
    return this.readAll();
  }

  arrayBuffer(): Promise<ArrayBuffer> {
    return this.readWhole(bytesToArrayBuffer);
  }

  text(): Promise<string> {
    return this.readWhole(bytesToText);
  }

  json(): Promise<unknown> {
    return this.readWhole(parseJson);
  }

  blob(): Promise<Blob> {
    const type = this.headers.get('content-type') ?? '';
    return this.readAll().then((bytes) => new Blob([bytes as Uint8Array<ArrayBuffer>], { type }));
  }
}

/** Delegates every `Request` member the class (or LazyBody) does not define to `this.native`. */
export function delegateToNativeRequest(target: LazyRequestClass): void {
  const proto = target.prototype;
  for (const key of Object.getOwnPropertyNames(NativeRequest.prototype)) {
    if (key === 'constructor' || Object.hasOwn(proto, key) || Object.hasOwn(LazyBody.prototype, key)) continue;
    const descriptor = Object.getOwnPropertyDescriptor(NativeRequest.prototype, key)!;
    if (descriptor.get) {
      Object.defineProperty(proto, key, {
        get(this: { native: Request }) {
          return Reflect.get(this.native, key);
        },
        configurable: true,
      });
    } else if (typeof descriptor.value === 'function') {
      Object.defineProperty(proto, key, {
        value(this: { native: Request }, ...args: unknown[]) {
          return (Reflect.get(this.native, key) as (...a: unknown[]) => unknown).apply(this.native, args);
        },
        configurable: true,
        writable: true,
      });
    }
  }
  // `instanceof Request` holds, while every member the class defines shadows the native one.
  Object.setPrototypeOf(LazyBody.prototype, NativeRequest.prototype);
  Object.defineProperty(proto, Symbol.toStringTag, { value: 'Request' });
}

/** Reads a byte stream to the end and joins its chunks once. */
export async function collectBytes(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let length = 0;
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) {
    chunks.push(chunk);
    length += chunk.byteLength;
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, length);
}

/** The bytes as an ArrayBuffer of their own: the underlying one when they fill it, else a copy. */
export function bytesToArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? (bytes.buffer as ArrayBuffer) : (bytes.slice().buffer as ArrayBuffer);
}

/** The bytes decoded as UTF-8, without copying them first (a socket's chunk is a Buffer already). */
export function bytesToText(bytes: Uint8Array): string {
  if (bytes instanceof Buffer) return bytes.toString();
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

/** The bytes decoded as UTF-8 and parsed as JSON. */
export function parseJson(bytes: Uint8Array): unknown {
  return JSON.parse(bytesToText(bytes));
}

/** An ArrayBuffer's bytes, as the readers above return them. */
export function toBytes(buffer: ArrayBuffer): Uint8Array {
  return new Uint8Array(buffer);
}
