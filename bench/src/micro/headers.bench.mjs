/**
 * Header conversion on a browser's page load (15 headers, fixtures.mjs):
 * core's `flattenHeaders` (what a response's headers become for
 * `writeHead`), the lazy `NodeRequest.headers` getter (built from
 * `rawHeaders` on first use) and `hasHeader`, each against what plain Fetch
 * or plain JavaScript would do instead.
 *
 * Standalone: node src/micro/index.mjs headers
 */
import { NodeRequest, flattenHeaders, hasHeader } from '@switchyard/core/node';
import { BROWSER_RAW_HEADERS, fakeRequest } from './fixtures.mjs';

const REQ = fakeRequest(BROWSER_RAW_HEADERS);
/** Node's own parsed object (lower-case names), as `req.headers` gives it. */
const OBJECT = REQ.headers;
const PAIRS = Object.entries(OBJECT);
const HEADERS = new Headers(OBJECT);
const FLAT = BROWSER_RAW_HEADERS;
const COUNT = FLAT.length / 2;
const OPTIONS = { maxBodySize: 0, signal: () => new AbortController().signal, onTooLarge: () => {} };

/** A flat list must have every header, in pairs. */
const flatOf = (result) => (result.length === COUNT * 2 ? undefined : `${result.length / 2} headers, expected ${COUNT}`);
const headersOf = (result) => ([...result].length === COUNT ? undefined : `${[...result].length} headers, expected ${COUNT}`);

export const GROUPS = [
  {
    name: `flattenHeaders, ${COUNT} headers`,
    tasks: [
      { name: 'new Headers(object): what Fetch would build', fn: () => new Headers(OBJECT), verify: headersOf },
      { name: 'Object.entries(object): pairs, not flat', fn: () => Object.entries(OBJECT), verify: (pairs) => flatOf(pairs.flat()) },
      { name: 'flattenHeaders(object)', fn: () => flattenHeaders(OBJECT), verify: flatOf },
      { name: 'flattenHeaders(array of pairs)', fn: () => flattenHeaders(PAIRS), verify: flatOf },
      { name: 'flattenHeaders(Headers)', fn: () => flattenHeaders(HEADERS), verify: flatOf },
    ],
  },
  {
    name: `a request's Headers, ${COUNT} headers`,
    tasks: [
      { name: 'new Headers(req.headers)', fn: () => new Headers(OBJECT), verify: headersOf },
      { name: 'NodeRequest headers getter (from rawHeaders)', fn: () => new NodeRequest(REQ, OPTIONS).headers, verify: headersOf },
      {
        name: "NodeRequest headers.get('accept')",
        fn: () => new NodeRequest(REQ, OPTIONS).headers.get('accept'),
        verify: (value) => (value === OBJECT.accept ? undefined : `got ${JSON.stringify(value)}`),
      },
      {
        name: 'native new Request(url, { headers: req.headers }).headers',
        fn: () => new Request('http://localhost:3000/', { headers: OBJECT }).headers,
        verify: headersOf,
      },
    ],
  },
  {
    name: `hasHeader on a flat list of ${COUNT} (mixed-case, as received)`,
    tasks: [
      { name: "Headers.has('cookie'), Headers already built", fn: () => HEADERS.has('cookie') },
      { name: "hasHeader(flat, 'host'): the first", fn: () => hasHeader(FLAT, 'host'), verify: (found) => (found ? undefined : 'not found') },
      { name: "hasHeader(flat, 'cookie'): the last", fn: () => hasHeader(FLAT, 'cookie'), verify: (found) => (found ? undefined : 'not found') },
      { name: "hasHeader(flat, 'content-type'): absent", fn: () => hasHeader(FLAT, 'content-type'), verify: (found) => (found ? 'found' : undefined) },
    ],
  },
];

export const suite = { name: 'headers', title: 'Header conversion', load: () => ({ groups: GROUPS }) };
