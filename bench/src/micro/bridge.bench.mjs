/**
 * Micro-benchmarks of the Fetch bridge, in-process, with tinybench.
 *
 * Each sample runs its operation a batch of times, sized so that one sample
 * takes about 20 µs: the timer's own cost and granularity then stay out of
 * sub-microsecond figures. Results are per operation. Tasks that write a response use Node's real ServerResponse with
 * no socket (see fixtures.mjs), and are checked for the right bytes first.
 *
 * Standalone: node src/micro/bridge.bench.mjs   (or node src/run.mjs --only micro)
 */
import { pathToFileURL } from 'node:url';
import { Bench } from 'tinybench';
import { ChannelHub, FastResponse, kDefaultLimits, RequestCounters } from '@switchyard/core';
import { createNodeHandler, flattenHeaders, sendResponse } from '@switchyard/core/node';
import { fastResponseState } from '@switchyard/core/response';
import fastApp from '../apps/hello-fast.mjs';
import nativeApp from '../apps/hello-native.mjs';
import { BODY } from '../http/contenders.mjs';
import { handlers as raw } from '../http/raw-handlers.mjs';
import { fmtFixed, fmtInt, fmtNs, markdownTable } from '@switchyard/bench';
import { fakeRequest, fakeResponse, written } from './fixtures.mjs';

export const MICRO_DEFAULTS = {
  /** Milliseconds of sampling per task (tinybench `time`). */
  time: 500,
  /** Milliseconds of warm-up per task. */
  warmupTime: 200,
};

/** Target duration of one sample, in nanoseconds. */
const SAMPLE_NS = 20_000;
// Results land here so no construction can be optimised away.
let sink;

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

/** Runs the task for ~20 ms to pick a power-of-two batch that makes one sample last about SAMPLE_NS. */
async function batchSize(task) {
  let n = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < 20e6) {
    sink = task.async ? await task.fn() : task.fn();
    n++;
    elapsed = Number(process.hrtime.bigint() - start);
  }
  const perOp = elapsed / n;
  return Math.min(4096, Math.max(16, 2 ** Math.round(Math.log2(SAMPLE_NS / perOp))));
}

function batched(task, batch) {
  if (task.async) {
    return async () => {
      for (let i = 0; i < batch; i++) sink = await task.fn();
    };
  }
  return () => {
    for (let i = 0; i < batch; i++) sink = task.fn();
  };
}

export async function runMicro(input = {}, log = (line) => console.error(line)) {
  const options = { ...MICRO_DEFAULTS, ...input };
  const groups = [];
  for (const group of GROUPS) {
    const problems = new Map();
    for (const task of group.tasks) {
      if (!task.verify) continue;
      const problem = task.verify(await task.fn());
      if (problem) problems.set(task.name, problem);
    }
    const bench = new Bench({ name: group.name, time: options.time, warmupTime: options.warmupTime, throws: true });
    const batches = new Map();
    for (const task of group.tasks) {
      const batch = await batchSize(task);
      batches.set(task.name, batch);
      bench.add(task.name, batched(task, batch));
    }
    log(`micro: ${group.name} (${group.tasks.length} tasks)`);
    await bench.run();
    const rows = bench.tasks.map((t) => {
      const latency = t.result.latency;
      const batch = batches.get(t.name);
      const nsPerOp = (latency.p50 * 1e6) / batch;
      return {
        name: t.name,
        batch,
        nsPerOp,
        meanNsPerOp: (latency.mean * 1e6) / batch,
        opsPerSec: 1e9 / nsPerOp,
        rme: latency.rme,
        samples: latency.samples?.length ?? t.runs,
        problem: problems.get(t.name),
      };
    });
    for (const row of rows) row.relative = rows[0].nsPerOp / row.nsPerOp;
    groups.push({ name: group.name, rows });
  }
  return { sampleNs: SAMPLE_NS, options, groups, sinkType: typeof sink };
}

export function microMarkdown(result) {
  const parts = [
    `Time per operation: the median tinybench sample divided by its batch (${fmtNs(result.sampleNs)} of work per sample); "vs first" > 1 means faster than the group's first row.`,
  ];
  for (const group of result.groups) {
    parts.push('', `**${group.name}**`, '');
    parts.push(
      markdownTable(
        ['task', 'time/op (median)', 'ops/s', '± rme', 'vs first'],
        group.rows.map((r) => [
          r.problem ? `${r.name} ⚠` : r.name,
          fmtNs(r.nsPerOp),
          fmtInt(r.opsPerSec),
          `${fmtFixed(r.rme, 1)}%`,
          `×${fmtFixed(r.relative)}`,
        ]),
        ['l', 'r', 'r', 'r', 'r'],
      ),
    );
    for (const r of group.rows) if (r.problem) parts.push(`\n⚠ ${r.name}: ${r.problem}`);
  }
  return parts.join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(microMarkdown(await runMicro()));
}
