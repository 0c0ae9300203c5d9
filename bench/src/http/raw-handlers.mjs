/**
 * The baselines: plain node:http handlers with no Switchyard code in the path.
 */
import { BODY } from './contenders.mjs';

const LENGTH = String(Buffer.byteLength(BODY));

/** What the reactor's fast path writes for `new FastResponse(BODY)`: one writeHead + end. */
export function fast(req, res) {
  res.writeHead(200, { 'content-type': 'text/plain;charset=UTF-8', 'content-length': LENGTH });
  res.end(BODY);
}

/**
 * Builds the global Response and writes status, headers and body with an
 * exact content-length, as any Fetch-to-Node adapter must. The body is read
 * with `body.getReader()`: on Node 20 that is cheaper than `arrayBuffer()`
 * (see the micro bench, "build a Response and read its body for the wire");
 * `nativeArrayBuffer` is the other way, for comparison.
 */
export async function native(req, res) {
  const response = new Response(BODY);
  const reader = response.body.getReader();
  const chunks = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    length += value.byteLength;
  }
  res.writeHead(response.status, nativeHead(response, length));
  res.end(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, length));
}

export async function nativeArrayBuffer(req, res) {
  const response = new Response(BODY);
  const body = Buffer.from(await response.arrayBuffer());
  res.writeHead(response.status, nativeHead(response, body.byteLength));
  res.end(body);
}

function nativeHead(response, length) {
  const headers = [];
  for (const [name, value] of response.headers) headers.push(name, value);
  headers.push('content-length', String(length));
  return headers;
}

export const handlers = { fast, native, nativeArrayBuffer };
