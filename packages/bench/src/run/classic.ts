/**
 * The Apache Bench experiment: the same `ab -r -n1000 -c150 -l` against
 * every model, a new connection per request. Failed requests are recorded
 * beside req/s, because ab divides by the time it took whether or not the
 * requests succeeded.
 */
import { checkAnswer } from '../check.js';
import type { Ab } from '../load/ab.js';
import type { ModelProcess } from '../server/launch.js';
import type { ClassicSample } from '../types.js';
import type { RunContext } from './context.js';
import { WrongAnswer } from './errors.js';

export async function measureClassic(ctx: RunContext, ab: Ab, proc: ModelProcess, round: number): Promise<ClassicSample> {
  const { options, progress, generator } = ctx;
  const classic = options.classic!;
  const request = { path: classic.path };
  progress.phase('checking');
  const problems = await checkAnswer(proc.url, request, classic.expect, options.timeout * 1000);
  if (problems.length) throw new WrongAnswer(problems);
  if (options.warmup > 0) {
    progress.phase('warm-up', options.warmup);
    await generator.run(proc.url, request, { duration: options.warmup, connections: 10, timeout: options.timeout });
  }
  progress.phase(`ab -n${classic.requests} -c${classic.concurrency}`);
  return { round, ...(await ab.run(`${proc.url}${classic.path}`, classic.requests, classic.concurrency)) };
}
