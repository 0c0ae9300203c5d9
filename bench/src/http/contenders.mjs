/**
 * The servers the HTTP bench compares. Every one answers GET / with the same
 * status, headers (Date aside) and body, so the generator measures only the
 * cost of producing that answer.
 */

export const BODY = 'Hello, World!';

/** What each server must answer; the check compares these and the rest of the head across contenders. */
export const EXPECTED = {
  status: 200,
  body: BODY,
  headers: {
    'content-type': 'text/plain;charset=UTF-8',
    'content-length': String(Buffer.byteLength(BODY)),
  },
};

/**
 * `kind` says how the child serves: `raw` = a plain node:http handler from
 * ./raw-handlers.mjs, `reactor` = @switchyard/reactor with an app module.
 */
export const CONTENDERS = {
  'raw-fast': { kind: 'raw', handler: 'fast', note: 'node:http, writeHead + end with a string' },
  'reactor-fast': { kind: 'reactor', app: 'hello-fast.mjs', note: 'reactor, app returns FastResponse' },
  'raw-native': { kind: 'raw', handler: 'native', note: 'node:http, builds a global Response and writes it' },
  'reactor-native': { kind: 'reactor', app: 'hello-native.mjs', note: 'reactor, app returns the global Response' },
};

/** The ratios the bench reports: [label, numerator, denominator, target or undefined]. */
export const RATIOS = [
  ['reactor-fast / raw-fast', 'reactor-fast', 'raw-fast', 0.95],
  ['reactor-native / raw-native', 'reactor-native', 'raw-native', 0.95],
  ['reactor-native / raw-fast', 'reactor-native', 'raw-fast', undefined],
];
