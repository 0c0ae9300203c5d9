/**
 * The scenarios, over the demo app's routes. Each says what a correct
 * answer is, so a model that answers wrongly, or quickly with errors, is
 * not timed.
 */

import { ISOLATION_NAMES, isolationScenarios } from './isolation.mjs';
import { OVERLOAD_NAME, overloadScenario } from './overload.mjs';

/** The demo's scenarios: the default profile runs these. */
export const DEMO_SCENARIO_NAMES = ['hello', 'cpu', 'io-100', 'io-1000', 'upstream', 'file', 'upload', 'idle'];

/** Every scenario, in the order a round runs them: the demo's, then the isolation grid (only when asked for, or one cell in --quick), then the overload (only when asked for). */
export const SCENARIO_NAMES = [...DEMO_SCENARIO_NAMES, ...ISOLATION_NAMES, OVERLOAD_NAME];

/** Names a filter may use for several scenarios at once. */
export const SCENARIO_GROUPS = { io: ['io-100', 'io-1000'], isolation: ISOLATION_NAMES };

const UPSTREAM_MS = 20;
const HELLO = { path: '/hello' };
const HELLO_EXPECT = { status: 200, bodyMatches: '^Hello from Switchyard \\(' };

/** `facts` come from prepareServices(): the file, the upload body, the CPU work; `timeout` is the run's, in seconds. */
export function demoScenarios(facts, { idleConnections, timeout = 10 }) {
  const { cpu, file, upload } = facts;
  return [
    {
      name: 'hello',
      title: 'a few bytes, no work',
      description: 'What the server itself costs per request.',
      request: HELLO,
      expect: HELLO_EXPECT,
      connections: 100,
    },
    {
      name: 'cpu',
      title: `${cpu.ms} ms of synchronous hashing per request, as calibrated at start`,
      description: `Work that holds whatever thread runs it: ${cpu.rounds} SHA-256 rounds, the same for every process, calibrated once on an idle core (under load it takes longer: see CPU / req).`,
      request: { path: `/cpu?ms=${cpu.ms}` },
      expect: { status: 200, json: { ms: cpu.ms, rounds: cpu.rounds, digest: cpu.digest } },
      connections: 50,
    },
    {
      name: 'io-100',
      title: 'waits 50 ms per request, 100 connections',
      description: 'A slow dependency: the thread is free while it waits.',
      request: { path: '/io?ms=50' },
      expect: { status: 200, json: { ms: 50 } },
      connections: 100,
    },
    {
      name: 'io-1000',
      title: 'waits 50 ms per request, 1000 connections',
      description: 'The same wait with ten times the clients: C10K in small.',
      request: { path: '/io?ms=50' },
      expect: { status: 200, json: { ms: 50 } },
      connections: 1000,
    },
    {
      name: 'upstream',
      title: `calls an HTTP service that answers in ${UPSTREAM_MS} ms`,
      description: 'A real outgoing request per request, over kept-alive connections to one upstream process shared by every model.',
      request: { path: `/upstream?ms=${UPSTREAM_MS}` },
      expect: { status: 200, json: { ms: UPSTREAM_MS } },
      connections: 100,
    },
    {
      name: 'file',
      title: 'downloads a 1 MiB file',
      description: 'Bytes from disk to socket, streamed.',
      request: { path: `/files/${file.name}` },
      expect: { status: 200, bodyBytes: file.bytes, bodySha256: file.sha256 },
      connections: 32,
    },
    {
      name: 'upload',
      title: `uploads ${upload.bytes / 1024} KiB, hashed as it streams in`,
      description: 'Request bodies: read, hashed, answered with their size and digest.',
      request: { method: 'POST', path: '/upload', headers: { 'content-type': 'application/octet-stream' }, body: upload.body },
      expect: { status: 200, json: { bytes: upload.bytes, sha256: upload.sha256 } },
      connections: 32,
    },
    {
      name: 'idle',
      title: `hello while ${idleConnections.toLocaleString('en-US')} idle connections are held open`,
      description:
        'Idle clients (long polls, SSE, keep-alive) held open beside live traffic: memory per idle connection, and what is left for the live requests.',
      kind: 'idle',
      request: HELLO,
      expect: HELLO_EXPECT,
      connections: 100,
      idle: { request: { path: '/idle?s=3600' }, count: idleConnections, heldWhen: 'head', expect: { status: 200, stream: true } },
    },
    ...isolationScenarios(cpu.answer, { cheap: HELLO, timeout }),
    overloadScenario(cpu.answer, { timeout }),
  ];
}

/** The Apache Bench experiment's route and answer. */
export const CLASSIC = { requests: 1000, concurrency: 150, path: HELLO.path, expect: HELLO_EXPECT };
