/**
 * Plumbing for lazy `Request` classes (the reactor's NodeRequest, the pool's
 * ThreadRequest): members they do not define go to a native `Request` built
 * on first use, and `instanceof Request` holds.
 */

/** A class whose instances can build their native `Request` on demand. */
interface LazyRequestClass {
  prototype: { readonly native: Request };
}

/** Delegates every `Request` member the class does not define to `this.native`. */
export function delegateToNativeRequest(target: LazyRequestClass): void {
  const proto = target.prototype;
  for (const key of Object.getOwnPropertyNames(Request.prototype)) {
    if (key === 'constructor' || Object.hasOwn(proto, key)) continue;
    const descriptor = Object.getOwnPropertyDescriptor(Request.prototype, key)!;
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
  Object.setPrototypeOf(proto, Request.prototype);
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
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
    ? (bytes.buffer as ArrayBuffer)
    : (bytes.slice().buffer as ArrayBuffer);
}

/** The bytes decoded as UTF-8, without copying them first. */
export function bytesToText(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}
