import { FastResponse } from '@switchyard/core';
import { HttpError } from '../http-error.js';
import { numberParam } from '../query.js';
import type { Route } from '../route.js';
import { describeFailure, getUpstream, upstreamAgent } from '../upstream/client.js';
import type { UpstreamService } from '../upstream/service.js';
import { startUpstreamThread } from '../upstream/start-thread.js';

const MS = { min: 0, max: 60_000, default: 50 };
const FAILURES = new Map([
  ['1', 'reset'],
  ['reset', 'reset'],
  ['status', 'status'],
]);

/** This context's upstream: `DEMO_UPSTREAM_URL`, or a service of its own on a loopback port. */
let baseUrl: string | undefined;
let local: UpstreamService | undefined;

export const upstream: Route = {
  path: '/upstream',
  methods: ['GET'],
  example: '/upstream?ms=100',
  summary: 'Fetches from a slow HTTP service (?ms= its latency) over kept-alive connections; a failing one gives 502.',
  async setup() {
    const external = process.env.DEMO_UPSTREAM_URL;
    if (external) {
      baseUrl = external;
    } else {
      local = await startUpstreamThread();
      baseUrl = local.url;
    }
  },
  async teardown() {
    upstreamAgent.destroy();
    await local?.close();
    local = undefined;
  },
  async handle(_request, ctx, url) {
    const ms = numberParam(url, 'ms', MS);
    const failParam = url.searchParams.get('fail');
    const fail = failParam === null ? undefined : FAILURES.get(failParam);
    if (failParam !== null && fail === undefined)
      throw new HttpError(400, 'fail must be 1 or reset (the upstream resets the connection), or status (it answers 500)');
    if (baseUrl === undefined) throw new HttpError(503, 'The upstream service is not started (setup has not run)');

    const target = new URL(baseUrl);
    target.searchParams.set('ms', String(ms));
    if (fail) target.searchParams.set('fail', fail);
    let reply: Awaited<ReturnType<typeof getUpstream>>;
    try {
      reply = await getUpstream(target, ctx.signal);
    } catch (error) {
      throw new HttpError(502, `Bad gateway: the upstream service ${describeFailure(error)}`);
    }
    if (reply.status !== 200) throw new HttpError(502, `Bad gateway: the upstream service answered ${reply.status}`);
    let answer: unknown;
    try {
      answer = JSON.parse(reply.body);
    } catch {
      throw new HttpError(502, `Bad gateway: the upstream service answered something that is not JSON`);
    }
    return FastResponse.json({ ms, upstream: answer, reusedConnection: reply.reusedSocket, workerId: ctx.workerId });
  },
};
