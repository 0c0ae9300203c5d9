// The pool runner's app, with core's FastResponse: /hello, /cpu (about 2 ms
// of synchronous work, BENCH_CPU_ITERATIONS iterations) and /cheap (nothing to do).
import { FastResponse } from '@switchyard/core';
import { work } from './work.mjs';

const iterations = Number(process.env.BENCH_CPU_ITERATIONS ?? 2_000_000);

export default {
  fetch(request) {
    const path = request.url.slice(request.url.indexOf('/', 8));
    if (path === '/hello') return new FastResponse('Hello, World!');
    if (path === '/cpu') return new FastResponse(String(work(iterations)));
    if (path === '/cheap') return new FastResponse('ok');
    return new FastResponse('not found', { status: 404 });
  },
};
