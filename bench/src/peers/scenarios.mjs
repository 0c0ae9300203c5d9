/**
 * The peer suite's scenarios, each with the answer every contender must
 * give before it is timed, and the contenders it makes sense for.
 */
import { createHash } from 'node:crypto';
import { API_TOKEN, API_VERSION, CHUNK, ECHO, GLOBAL, HELLO, HOLD_CHUNK, JSON_TYPE, newPost, STREAM_CHUNKS, UPLOAD_BYTES } from './apps/shared.mjs';
import { CONTENDERS } from './contenders.mjs';

const ECHO_BODY = JSON.stringify(ECHO);
const STREAMED = Buffer.concat(Array.from({ length: STREAM_CHUNKS }, () => CHUNK));
const UPLOAD = Buffer.alloc(UPLOAD_BYTES, 'u');
const POST = { title: 'Peers', tags: ['bench'] };

/** Contenders that serve a Fetch app, and so can answer with the global Response. */
const FETCH_APPS = [
  'raw',
  'reactor',
  'reactor-global',
  'reactor-hono',
  'reactor-global-platform',
  'reactor-hono-platform',
  'reactor-cli',
  'reactor-hono-cli',
  'srvx',
  'srvx-global',
  'hono-node',
];
/** Contenders that run the Hono app, or the same API in their own idiom. */
const API = ['raw', 'fastify', 'hono-node', 'reactor-hono', 'reactor-hono-platform', 'reactor-hono-cli'];
/** Every contender but the multi-core ones, which run only hello, the JSON echo and (but for piscina) the idle scenario. */
const SINGLE = Object.keys(CONTENDERS).filter((name) => !CONTENDERS[name].multicore);
/** Every contender that can hold a response open: all but piscina, which answers each request whole from a thread. */
const HOLDERS = Object.keys(CONTENDERS).filter((name) => name !== 'piscina');
/** Idle connections the idle scenario holds, by default. */
export const IDLE_CONNECTIONS = 10_000;
const HELLO_SCENARIO = {
  request: { path: '/hello' },
  expect: { status: 200, bodyMatches: `^${HELLO}$`, headers: { 'content-type': 'text/plain' } },
  connections: 100,
};

export const PEER_SCENARIOS = [
  {
    name: 'hello',
    title: 'GET, a few bytes of text',
    description: 'What the server itself costs per request.',
    ...HELLO_SCENARIO,
  },
  {
    name: 'json',
    title: `POST a ${Buffer.byteLength(ECHO_BODY)}-byte JSON object, echoed back`,
    description: 'The handler awaits request.json() and answers the object as JSON.',
    request: { method: 'POST', path: '/echo', headers: { 'content-type': JSON_TYPE }, body: ECHO_BODY },
    expect: { status: 200, json: ECHO, headers: { 'content-type': JSON_TYPE } },
    connections: 100,
  },
  {
    name: 'hono',
    title: 'a Hono app: POST JSON to one of a few routes behind two middleware',
    description: `POST /api/users/42/posts with a bearer token and a JSON body: a router with several routes, a token check and a header added after the handler, the body parsed and answered as JSON with 201. Hono's own servers run the Hono app; raw and fastify the same API in their own idiom.`,
    request: { method: 'POST', path: '/api/users/42/posts', headers: { 'content-type': JSON_TYPE, authorization: API_TOKEN }, body: JSON.stringify(POST) },
    expect: { status: 201, json: newPost('42', POST), headers: { 'x-api-version': API_VERSION, 'content-type': JSON_TYPE } },
    connections: 100,
    contenders: API,
  },
  {
    name: 'global',
    title: 'GET, answered with the global Response',
    description:
      'The app builds its answer with the global Response (a small JSON body), as any portable Fetch app does, whatever the server offers instead: what each server makes of it. raw writes the same bytes directly.',
    request: { path: '/global' },
    expect: { status: 200, json: GLOBAL, headers: { 'content-type': JSON_TYPE } },
    connections: 100,
    contenders: FETCH_APPS,
  },
  {
    name: 'stream',
    title: `GET a streamed response, ${STREAM_CHUNKS} chunks of 1 KiB`,
    description: 'A body produced as a stream, one chunk at a time (a ReadableStream in the Fetch apps, a Node stream in fastify, res.write in raw).',
    request: { path: '/stream' },
    expect: { status: 200, bodyBytes: STREAMED.byteLength, bodySha256: createHash('sha256').update(STREAMED).digest('hex') },
    connections: 100,
    contenders: SINGLE,
  },
  {
    name: 'upload',
    title: `POST ${UPLOAD_BYTES / 1024} KiB, answered with its length`,
    description: 'The handler reads the whole request body and answers its length as JSON.',
    request: { method: 'POST', path: '/upload', headers: { 'content-type': 'application/octet-stream' }, body: UPLOAD },
    expect: { status: 200, json: { bytes: UPLOAD_BYTES } },
    connections: 32,
    contenders: SINGLE,
  },
  {
    name: 'idle',
    kind: 'idle',
    byDefault: false,
    title: 'hello while idle connections are held open, each on a response that waits',
    description:
      'Each idle connection GETs /hold, whose head and first few bytes come at once and then nothing for an hour (a ReadableStream in the Fetch apps, a Node stream in fastify, res.write and a timer in raw), as an event stream or a long poll waits: memory per held connection, and hello beside them.',
    ...HELLO_SCENARIO,
    idle: { request: { path: '/hold' }, count: IDLE_CONNECTIONS, heldWhen: 'head', expect: { status: 200, bodyMatches: `^${HOLD_CHUNK}`, stream: true } },
    contenders: HOLDERS,
  },
];

export const PEER_SCENARIO_NAMES = PEER_SCENARIOS.map((s) => s.name);
/** What runs without --scenarios: all but the idle scenario, which holds 10,000 connections per contender and round. */
export const DEFAULT_PEER_SCENARIOS = PEER_SCENARIOS.filter((s) => s.byDefault !== false).map((s) => s.name);

/** The engine's scenarios for `names`, each limited to the contenders of this run it makes sense for; `idle` connections in the idle scenario. */
export function peerScenarios(names, lineup, { idle = IDLE_CONNECTIONS } = {}) {
  return PEER_SCENARIOS.filter((s) => names.includes(s.name)).map(({ contenders, byDefault, ...scenario }) => {
    const sized = scenario.kind === 'idle' ? { ...scenario, idle: { ...scenario.idle, count: idle } } : scenario;
    return contenders ? { ...sized, models: lineup.filter((name) => contenders.includes(name)) } : sized;
  });
}
