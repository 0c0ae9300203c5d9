/**
 * Node's own request and response objects without a socket: an
 * IncomingMessage filled the way Node's HTTP parser fills it, and a
 * ServerResponse that formats its head and body into memory. They let the
 * micro bench run the real bridge and the real node:http write path; what
 * they leave out is parsing and the socket write, which the HTTP bench covers.
 */
import { IncomingMessage, ServerResponse } from 'node:http';

/** What wrk sends. */
const RAW_HEADERS = ['Host', '127.0.0.1:3000'];

export function fakeRequest() {
  const req = new IncomingMessage(null);
  req.method = 'GET';
  req.url = '/';
  req.httpVersionMajor = 1;
  req.httpVersionMinor = 1;
  req.httpVersion = '1.1';
  // What the parser calls in parserOnHeadersComplete (lib/_http_common.js).
  req._addHeaderLines(RAW_HEADERS.slice(), RAW_HEADERS.length);
  req.complete = true;
  return req;
}

export function fakeResponse(req) {
  const res = new ServerResponse(req);
  res.shouldKeepAlive = true;
  return res;
}

/** The bytes a socketless ServerResponse would have written. */
export function written(res) {
  return res.outputData
    .map((chunk) => (typeof chunk.data === 'string' ? chunk.data : Buffer.from(chunk.data).toString('latin1')))
    .join('');
}
