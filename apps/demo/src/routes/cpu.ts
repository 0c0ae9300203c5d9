import { FastResponse } from '@switchyard/core';
import { choiceParam, numberParam } from '../query.js';
import type { Route } from '../route.js';
import { calibrateAll, CPU_KINDS, cpuWork } from '../work/kinds.js';

const MS = { min: 0, max: 1000, default: 2 };

export const cpu: Route = {
  path: '/cpu',
  methods: ['GET'],
  example: '/cpu?ms=20',
  summary: 'Synchronous CPU work for ?ms= milliseconds (a fixed amount; &kind=hash, js or native): it stalls whatever event loop runs it.',
  setup() {
    // Calibrate before traffic, so the first request does not pay for it.
    calibrateAll();
  },
  handle(_request, ctx, url) {
    const ms = numberParam(url, 'ms', MS);
    const kind = choiceParam(url, 'kind', CPU_KINDS, 'hash');
    return FastResponse.json({ ms, kind, ...cpuWork(kind, ms), workerId: ctx.workerId });
  },
};
