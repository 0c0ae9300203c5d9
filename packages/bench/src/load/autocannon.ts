/**
 * autocannon through its programmatic API, in the runner's own process: no
 * system package needed, so it is the default. On a small machine it takes
 * about a core, which the servers then lack; wrk takes less.
 */
import { createRequire } from 'node:module';
import type { LoadResult, RequestSpec } from '../types.js';
import type { Generator, LoadSettings } from './types.js';

const require = createRequire(import.meta.url);

interface AutocannonResult {
  start: Date;
  finish: Date;
  errors: number;
  timeouts: number;
  non2xx: number;
  requests: { total: number };
  latency: { p50: number; p99: number; max: number };
}
/** The instance autocannon returns: it emits `response` for each answer and `reqError` for each failure (timeouts included). */
interface Instance {
  on(event: 'response', listener: (client: unknown, statusCode: number) => void): void;
  on(event: 'reqError', listener: () => void): void;
}
type Autocannon = (options: Record<string, unknown>, callback: (error: Error | null, result: AutocannonResult) => void) => Instance;

export function autocannonGenerator(): Generator {
  const autocannon = require('autocannon') as Autocannon;
  const { version } = require('autocannon/package.json') as { version: string };
  return {
    name: 'autocannon',
    version: `autocannon ${version}`,
    describe: ({ connections, timeout }) => `autocannon -c ${connections ?? '<per scenario>'} -t ${timeout} (programmatic, in the runner process, keep-alive)`,
    run(url: string, request: RequestSpec, { duration, connections, timeout, counts }: LoadSettings): Promise<LoadResult> {
      return new Promise((resolve, reject) => {
        const instance = autocannon(
          {
            url: `${url}${request.path}`,
            method: request.method ?? 'GET',
            headers: request.headers ?? {},
            ...(request.body !== undefined && { body: typeof request.body === 'string' ? request.body : Buffer.from(request.body) }),
            connections,
            duration,
            timeout,
            pipelining: 1,
            // It stops on its sampling tick: a short run needs a short tick.
            sampleInt: Math.min(1000, Math.max(100, Math.round(duration * 1000))),
          },
          (error, result) => {
            if (error) return reject(error);
            const seconds = (result.finish.getTime() - result.start.getTime()) / 1000;
            // No answer at all: there is no latency to report, not a latency of 0.
            const answered = result.requests.total > 0;
            resolve({
              rps: result.requests.total / seconds,
              requests: result.requests.total,
              seconds,
              p50Ms: answered ? result.latency.p50 : Number.NaN,
              p99Ms: answered ? result.latency.p99 : Number.NaN,
              maxMs: answered ? result.latency.max : Number.NaN,
              // autocannon counts timeouts among its errors.
              errors: result.errors - result.timeouts,
              non2xx: result.non2xx,
              timeouts: result.timeouts,
            });
          },
        );
        // Only when asked: a listener per response costs the generator a little.
        if (counts) {
          instance.on('response', (_client, statusCode) => {
            counts.requests++;
            if (statusCode < 200 || statusCode >= 300) counts.errors++;
          });
          instance.on('reqError', () => void counts.errors++);
        }
      });
    },
  };
}
