import { setTimeout as sleep } from 'node:timers/promises';
import { FastResponse } from '@switchyard/core';
import { numberParam } from '../query.js';
import type { Route } from '../route.js';

const MS = { min: 0, max: 60_000, default: 50 };

export const io: Route = {
  path: '/io',
  methods: ['GET'],
  example: '/io?ms=100',
  summary: 'Awaits a slow dependency for ?ms= milliseconds: the loop is free meanwhile, so every backend overlaps these.',
  async handle(_request, ctx, url) {
    const ms = numberParam(url, 'ms', MS);
    const started = performance.now();
    // The signal ends the wait when the client leaves; nobody reads the answer then.
    await sleep(ms, undefined, { signal: ctx.signal }).catch(() => {});
    return FastResponse.json({ ms, waitedMs: Math.round(performance.now() - started), workerId: ctx.workerId });
  },
};
