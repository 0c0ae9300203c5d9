import { counter, type MetricJson } from './metric-json.js';

/** Why a worker was replaced. */
export type RestartCause = 'crash' | 'watchdog' | 'recycle' | 'reload';

/** Workers replaced, by slot and cause: `switchyard_worker_restarts_total`. */
export class RestartCounts {
  readonly #counts = new Map<string, { worker: number; cause: RestartCause; value: number }>();

  add(worker: number, cause: RestartCause): void {
    const key = `${worker}:${cause}`;
    const entry = this.#counts.get(key);
    if (entry) entry.value++;
    else this.#counts.set(key, { worker, cause, value: 1 });
  }

  toJson(backend: string): MetricJson[] {
    const values = [...this.#counts.values()].map(({ worker, cause, value }) => ({ value, labels: { backend, worker: String(worker), cause } }));
    return [
      counter(
        'switchyard_worker_restarts_total',
        'Workers (threads or processes) replaced, by cause: crash, watchdog (hung), recycle (request or memory limit), reload (rolling restart).',
        values,
      ),
    ];
  }
}
