/**
 * The servers the HTTP bench compares, as contenders of the
 * @switchyard/bench engine. Every one answers GET / with the same status,
 * headers (Date aside) and body, so the generator measures only the cost of
 * producing that answer.
 */
import { fileURLToPath } from 'node:url';

export const BODY = 'Hello, World!';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));

/** What each server must answer, checked on every fresh process before it is timed. */
export const EXPECTED = {
  status: 200,
  bodyMatches: `^${BODY}$`,
  headers: {
    'content-type': /^text\/plain;charset=UTF-8$/,
    'content-length': new RegExp(`^${Buffer.byteLength(BODY)}$`),
  },
};

/** Each contender: a raw node:http handler module (model `raw`) or the reactor with an app module. */
export const CONTENDERS = {
  'raw-fast': { model: 'raw', rawHandler: here('./raw-fast.mjs'), note: 'node:http, writeHead + end with a string' },
  'reactor-fast': { model: 'reactor', app: here('../apps/hello-fast.mjs'), note: 'reactor, app returns FastResponse' },
  'raw-native': { model: 'raw', rawHandler: here('./raw-native.mjs'), note: 'node:http, builds a global Response and writes it' },
  'reactor-native': { model: 'reactor', app: here('../apps/hello-native.mjs'), note: 'reactor, app returns the global Response' },
};

export const CONTENDER_NAMES = Object.keys(CONTENDERS);

/** The reference of the run's own ratios. */
export const BASELINE = 'raw-fast';

/** The ratios the bench reports, as the engine's pairs: the bridge's targets, and what an unchanged Fetch app costs. */
export const PAIRS = [
  { model: 'reactor-fast', over: 'raw-fast', target: 0.95 },
  { model: 'reactor-native', over: 'raw-native', target: 0.95 },
  { model: 'reactor-native', over: 'raw-fast' },
];
