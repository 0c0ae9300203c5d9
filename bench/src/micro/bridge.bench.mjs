/**
 * Micro-benchmarks of the Fetch bridge, in-process, with tinybench (batching
 * and figures: runner.mjs). Tasks that write a response use Node's real
 * ServerResponse with no socket (see fixtures.mjs), and are checked for the
 * right bytes first.
 *
 * Standalone: node src/micro/index.mjs bridge   (or node src/run.mjs --only micro)
 */
import { ChannelHub, FastResponse, kDefaultLimits, RequestCounters } from '@switchyard/core';
import { createNodeHandler, flattenHeaders, sendResponse } from '@switchyard/core/node';
import { fastResponseState } from '@switchyard/core/response';
import fastApp from '../apps/hello-fast.mjs';
import nativeApp from '../apps/hello-native.mjs';
import { BODY } from '../http/contenders.mjs';
import { handlers as raw } from '../http/raw-handlers.mjs';
import { fakeRequest, fakeResponse, written } from './fixtures.mjs';

const INIT = { status: 201, headers: { 'content-type': 'text/plain', 'x-request-id': 'abc' } };
const OBJECT_HEADERS = { 'content-type': 'application/json', 'cache-control': 'no-store' };
const ARRAY_HEADERS = [
  ['content-type', 'application/json'],
  ['set-cookie', 'a=1'],
  ['set-cookie', 'b=2'],
];
const HEADERS = new Headers(OBJECT_HEADERS);
const NATIVE_RESPONSE_HEADERS = new Response(BODY).headers;

async function readAll(response) {
  const reader = response.body.getReader();
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return length;
    length += value.byteLength;
  }
}

/**
 * One request through `handle(req, res, done)`, resolved with the response
 * once `done` is called. Raw handlers and the reactor's handler pay the same
 * wrapper, so only the handlers differ.
 */
function request(handle) {
  return async () => {
    const req = fakeRequest();
    const res = fakeResponse(req);
    await new Promise((resolve, reject) => handle(req, res, resolve, reject));
    return res;
  };
}

/** A plain handler, sync or async, as node:http would call it. */
function viaHandler(handler) {
  return request((req, res, done, fail) => {
    const result = handler(req, res);
    if (result && typeof result.then === 'function') result.then(done, fail);
    else done();
  });
}

/** The reactor's pipeline; `onDone` fires when the response has ended. */
function reactorHandler(app) {
  let onDone;
  const handler = createNodeHandler({
    app,
    base: { backend: 'reactor', workerId: 0, hub: new ChannelHub() },
    limits: { ...kDefaultLimits },
    logger: console,
    counters: new RequestCounters(),
    closing: () => false,
    onDone: () => onDone(),
  });
  return request((req, res, done) => {
    onDone = done;
    handler(req, res);
  });
}

/** Checks that a task that writes a response wrote status 200 and the body. */
function writesBody(res) {
  const out = written(res);
  if (!out.startsWith('HTTP/1.1 200 ')) return `wrote ${JSON.stringify(out.slice(0, 40))}`;
  if (!out.includes(BODY)) return `the written response has no "${BODY}" body`;
  return undefined;
}

/**
 * Groups of tasks; the first task of a group is its reference. `verify`
 * gets one result and returns a problem, or undefined.
 */
export const GROUPS = [
  {
    name: 'build a Response',
    tasks: [
      { name: "new Response('hello')", fn: () => new Response('hello') },
      { name: "new FastResponse('hello')", fn: () => new FastResponse('hello') },
      { name: "new Response('hello', { status, headers })", fn: () => new Response('hello', INIT) },
      { name: "new FastResponse('hello', { status, headers })", fn: () => new FastResponse('hello', INIT) },
    ],
  },
  {
    name: 'build a Response and read its body for the wire',
    tasks: [
      { name: 'native: await arrayBuffer()', async: true, fn: () => new Response(BODY).arrayBuffer() },
      { name: 'native: body.getReader() until done', async: true, fn: () => readAll(new Response(BODY)) },
      { name: 'native: await text()', async: true, fn: () => new Response(BODY).text() },
      { name: 'FastResponse: fastResponseState()', fn: () => fastResponseState(new FastResponse(BODY)) },
    ],
  },
  {
    name: 'flattenHeaders',
    tasks: [
      { name: 'undefined', fn: () => flattenHeaders(undefined) },
      { name: 'object, 2 entries', fn: () => flattenHeaders(OBJECT_HEADERS) },
      { name: 'array, 3 pairs', fn: () => flattenHeaders(ARRAY_HEADERS) },
      { name: 'Headers, 2 entries', fn: () => flattenHeaders(HEADERS) },
      { name: 'a native Response.headers', fn: () => flattenHeaders(NATIVE_RESPONSE_HEADERS) },
    ],
  },
  {
    name: 'write a response into a ServerResponse (no socket)',
    tasks: [
      { name: 'raw writeHead + end (raw-fast)', async: true, fn: viaHandler(raw.fast), verify: writesBody },
      {
        name: 'sendResponse(new FastResponse)',
        async: true,
        fn: viaHandler((req, res) => sendResponse(res, new FastResponse(BODY))),
        verify: writesBody,
      },
      { name: 'raw, native Response via reader (raw-native)', async: true, fn: viaHandler(raw.native), verify: writesBody },
      { name: 'raw, native Response via arrayBuffer()', async: true, fn: viaHandler(raw.nativeArrayBuffer), verify: writesBody },
      {
        name: 'sendResponse(new Response)',
        async: true,
        fn: viaHandler((req, res) => sendResponse(res, new Response(BODY))),
        verify: writesBody,
      },
    ],
  },
  {
    name: 'whole request: handler(req, res), no socket',
    tasks: [
      { name: 'raw-fast handler', async: true, fn: viaHandler(raw.fast), verify: writesBody },
      { name: 'reactor handler, app returns FastResponse', async: true, fn: reactorHandler(fastApp), verify: writesBody },
      { name: 'raw-native handler', async: true, fn: viaHandler(raw.native), verify: writesBody },
      { name: 'reactor handler, app returns Response', async: true, fn: reactorHandler(nativeApp), verify: writesBody },
    ],
  },
];

export const suite = { name: 'bridge', title: 'The Fetch bridge', load: () => ({ groups: GROUPS }) };
