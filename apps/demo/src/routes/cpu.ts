import { FastResponse } from '@switchyard/core';
import { numberParam } from '../query.js';
import type { Route } from '../route.js';
import { burnRounds, calibrate, roundsFor } from '../work/cpu.js';

const MS = { min: 0, max: 1000, default: 2 };

export const cpu: Route = {
  path: '/cpu',
  example: '/cpu?ms=20',
  summary: 'Synchronous hashing for ?ms= milliseconds (a fixed amount of work): it stalls whatever event loop runs it.',
  setup() {
    // Calibrate before traffic, so the first request does not pay for it.
    calibrate();
  },
  handle(_request, ctx, url) {
    const ms = numberParam(url, 'ms', MS);
    const rounds = roundsFor(ms);
    const digest = burnRounds(rounds);
    return FastResponse.json({ ms, rounds, digest, workerId: ctx.workerId });
  },
};
