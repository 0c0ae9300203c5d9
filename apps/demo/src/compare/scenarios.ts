/**
 * The compare page's scenarios: each is a bench engine scenario run against
 * every backend, with `/hello` probed beside the load, and the one figure
 * the verdict's sentence compares.
 */
import type { Scenario } from '@switchyard/bench';

/** A figure of a model's summary that a verdict compares; `lower` when less is better. */
export interface Deciding {
  /** What the sentence calls it: `/hello p99`. */
  label: string;
  figure: 'probeP99Ms' | 'rps' | 'peakRssBytes';
  better: 'lower' | 'higher';
}

export interface CompareScenario {
  /** What the button says. */
  button: string;
  /** How the verdict's sentence opens: "under CPU load". */
  phrase: string;
  deciding: Deciding;
  /** The engine's scenario. */
  scenario: Scenario;
}

const probe = { request: { path: '/hello' }, everyMs: 10, openLoop: true };
const hello = { bodyIncludes: 'Hello' };
const p99: Deciding = { label: '/hello p99', figure: 'probeP99Ms', better: 'lower' };

export const SCENARIOS: Record<string, CompareScenario> = {
  cpu: {
    button: 'CPU load while /hello is probed',
    phrase: 'under CPU load',
    deciding: p99,
    scenario: {
      name: 'cpu',
      title: 'GET /cpu?ms=20',
      description:
        'Four clients keep 20 ms of synchronous hashing in flight while /hello is probed: the worst sin of async code, a handler that holds the loop.',
      request: { path: '/cpu?ms=20' },
      expect: { status: 200 },
      connections: 4,
      probe,
    },
  },
  io: {
    button: '1,000 slow I/O requests',
    phrase: 'with 1,000 slow I/O requests in flight',
    deciding: { label: 'req/s', figure: 'rps', better: 'higher' },
    scenario: {
      name: 'io',
      title: 'GET /io?ms=200',
      description: '1,000 connections, each waiting 200 ms on a timer per request: waiting costs an event loop nothing.',
      request: { path: '/io?ms=200' },
      expect: { status: 200 },
      connections: 1000,
      probe,
    },
  },
  idle: {
    button: '2,000 idle connections',
    phrase: 'holding 2,000 idle connections',
    deciding: { label: 'peak RSS', figure: 'peakRssBytes', better: 'lower' },
    scenario: {
      name: 'idle',
      kind: 'idle',
      title: 'GET /hello beside 2,000 idle connections',
      description: '2,000 connections held open on /idle while /hello is loaded: what each costs in memory.',
      request: { path: '/hello' },
      expect: hello,
      connections: 10,
      idle: { request: { path: '/idle?s=3600' }, count: 2000, heldWhen: 'head' },
      probe,
    },
  },
  chat: {
    button: 'Chat burst',
    phrase: 'in a chat burst to 200 listeners',
    deciding: { label: 'posts/s', figure: 'rps', better: 'higher' },
    scenario: {
      name: 'chat',
      kind: 'idle',
      title: 'POST /chat to 200 listeners',
      description:
        '200 chat streams held open while 20 clients post as fast as they are answered: every post reaches every stream, across threads and processes.',
      request: {
        method: 'POST',
        path: '/chat',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'bench', text: 'burst' }),
      },
      expect: { status: 202 },
      connections: 20,
      idle: { request: { path: '/chat/events' }, count: 200, heldWhen: 'head' },
      probe,
    },
  },
};
