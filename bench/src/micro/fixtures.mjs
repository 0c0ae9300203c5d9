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

/** What Chrome sends for a page load: 15 headers, as `rawHeaders` lists them. */
export const BROWSER_RAW_HEADERS = [
  'Host',
  'localhost:3000',
  'Connection',
  'keep-alive',
  'sec-ch-ua',
  '"Chromium";v="124", "Google Chrome";v="124", "Not-A.Brand";v="99"',
  'sec-ch-ua-mobile',
  '?0',
  'sec-ch-ua-platform',
  '"Linux"',
  'Upgrade-Insecure-Requests',
  '1',
  'User-Agent',
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  'Accept',
  'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8',
  'Sec-Fetch-Site',
  'none',
  'Sec-Fetch-Mode',
  'navigate',
  'Sec-Fetch-User',
  '?1',
  'Sec-Fetch-Dest',
  'document',
  'Accept-Encoding',
  'gzip, deflate, br, zstd',
  'Accept-Language',
  'en-GB,en;q=0.9',
  'Cookie',
  'session=4f2a9c1e8b7d; theme=dark',
];

export function fakeRequest(rawHeaders = RAW_HEADERS) {
  const req = new IncomingMessage(null);
  req.method = 'GET';
  req.url = '/';
  req.httpVersionMajor = 1;
  req.httpVersionMinor = 1;
  req.httpVersion = '1.1';
  // What the parser calls in parserOnHeadersComplete (lib/_http_common.js).
  req._addHeaderLines(rawHeaders.slice(), rawHeaders.length);
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
  return res.outputData.map((chunk) => (typeof chunk.data === 'string' ? chunk.data : Buffer.from(chunk.data).toString('latin1'))).join('');
}
