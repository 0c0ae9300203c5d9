import type { IncomingMessage } from 'node:http';
import { bodyTooLarge } from '../errors.js';

/**
 * The Content-Length header, read from `rawHeaders`: touching `req.headers`
 * makes Node build the whole header object, a cost on every request that
 * only needs this one value.
 */
export function declaredLength(req: IncomingMessage): string | undefined {
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    if (name.length === 14 && name.toLowerCase() === 'content-length') return raw[i + 1];
  }
  return undefined;
}

/** True when the request carries a body to read (RFC 9112, 6.3). */
export function requestHasBody(req: IncomingMessage): boolean {
  const headers = req.headers;
  if (headers['transfer-encoding'] !== undefined) return true;
  const length = headers['content-length'];
  return length !== undefined && length !== '0';
}

/**
 * Reads a whole request body into one buffer that nothing else references,
 * so it can be transferred to another thread as is. Bytes are copied once,
 * from the socket's chunks into that buffer: straight into place when
 * Content-Length is known, joined once at the end when the body is chunked.
 * Rejects with ERR_BODY_TOO_LARGE as soon as the body passes `maxBodySize`,
 * leaving the request paused; the caller answers 413 and closes.
 */
export function readBody(req: IncomingMessage, maxBodySize: number): Promise<Uint8Array> {
  const declared = declaredLength(req);
  const expected = declared === undefined ? -1 : Number(declared);
  if (expected > maxBodySize) {
    req.pause();
    return Promise.reject(bodyTooLarge(maxBodySize));
  }
  return new Promise((resolve, reject) => {
    // A known length gets its final buffer up front; Node's parser stops at it.
    const whole = expected >= 0 ? new Uint8Array(new ArrayBuffer(expected)) : undefined;
    const chunks: Buffer[] = [];
    let received = 0;
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      const next = received + chunk.byteLength;
      if (next > maxBodySize || (whole !== undefined && next > whole.byteLength)) {
        cleanup();
        req.pause();
        reject(bodyTooLarge(maxBodySize));
        return;
      }
      if (whole) whole.set(chunk, received);
      else chunks.push(chunk);
      received = next;
    };
    const onEnd = () => {
      cleanup();
      if (whole) {
        resolve(received === whole.byteLength ? whole : whole.subarray(0, received));
        return;
      }
      const body = new Uint8Array(new ArrayBuffer(received));
      let offset = 0;
      for (const chunk of chunks) {
        body.set(chunk, offset);
        offset += chunk.byteLength;
      }
      resolve(body);
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    // 'close' before 'end': the client left mid-body.
    const onClose = () => onError(new Error('The client closed the connection while sending the body'));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}
