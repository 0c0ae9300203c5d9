/**
 * A fixed amount of synchronous CPU work: the same number of iterations in
 * every contender (the runner calibrates it to about 2 ms on this machine
 * and passes it as BENCH_CPU_ITERATIONS), so a busy machine makes it
 * slower instead of making it shorter.
 */
export function work(iterations) {
  let x = 0;
  for (let i = 0; i < iterations; i++) x = (Math.imul(x, 31) + i) | 0;
  return x;
}
