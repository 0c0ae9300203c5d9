// The benchmark app: a hello-world route and a CPU-bound route. The CPU
// route runs BENCH_CPU_ITERATIONS iterations of `burn`, calibrated by
// run.mjs to about 2 ms on the machine at hand.
import { FastResponse } from '@switchyard/core';

const iterations = Number(process.env.BENCH_CPU_ITERATIONS ?? 1_000_000);

/** Synchronous work that the JIT cannot skip: a xorshift loop whose result is used. */
export function burn(n) {
  // A seed within int32, so the loop stays on small integers from the start.
  let x = 123456789;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
  }
  return x >>> 0;
}

export default {
  fetch(request) {
    const path = request.url.slice(request.url.indexOf('/', 8));
    if (path === '/hello') return new FastResponse('hello world');
    if (path === '/cpu') return new FastResponse(String(burn(iterations)));
    return new FastResponse('not found', { status: 404 });
  },
};
