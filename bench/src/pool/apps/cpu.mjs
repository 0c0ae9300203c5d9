// /cpu: about 2 ms of synchronous work per request. /cheap: nothing to do.
import { FastResponse } from '@switchyard/core';
import { work } from './work.mjs';

const iterations = Number(process.env.BENCH_CPU_ITERATIONS ?? 2_000_000);

export default {
  fetch(request) {
    const path = request.url.slice(request.url.indexOf('/', 8));
    if (path === '/cpu') return new FastResponse(String(work(iterations)));
    return new FastResponse('ok');
  },
};
