import type { MetricJson } from './metric-json.js';

/** Methods with their own label value; any other method counts as `OTHER`. */
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'OTHER'] as const;
const OTHER = METHODS.length - 1;
const METHOD_INDEX: Record<string, number> = Object.assign(Object.create(null), Object.fromEntries(METHODS.map((m, i) => [m, i])));
/** Status label values by `status / 100`; index 0 is a request whose client left before any answer. */
const STATUS = ['aborted', '1xx', '2xx', '3xx', '4xx', '5xx'] as const;

/** Upper bounds of the duration histogram, in seconds: 1 ms to 10 s. */
export const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

/**
 * Request counts and durations of one worker, as plain numbers: the hot
 * path adds to an array slot, and prom-client's JSON is built only when
 * someone reads it. (prom-client's own `inc` hashes its labels on every
 * call, a cost paid per request.)
 */
class WorkerRequests {
  readonly counts = new Float64Array(METHODS.length * STATUS.length);
  /** Per bucket, not cumulative; the last slot is above every bound (+Inf). */
  readonly buckets = new Float64Array(DURATION_BUCKETS.length + 1);
  sum = 0;
  rejected = 0;
}

/**
 * What one thread or process saw of its requests, per worker label: the
 * pool's main thread records for every thread, a reactor for itself.
 */
export class RequestRecorder {
  readonly #byWorker = new Map<number, WorkerRequests>();

  #worker(worker: number): WorkerRequests {
    let figures = this.#byWorker.get(worker);
    if (!figures) this.#byWorker.set(worker, (figures = new WorkerRequests()));
    return figures;
  }

  /** One request over: `status` 0 when no answer went out. */
  record(worker: number, method: string | undefined, status: number, ms: number): void {
    const figures = this.#worker(worker);
    const m = (method === undefined ? undefined : METHOD_INDEX[method]) ?? OTHER;
    const s = status >= 100 && status < 600 ? Math.floor(status / 100) : 0;
    figures.counts[m * STATUS.length + s]!++;
    const seconds = ms / 1000;
    let b = 0;
    while (b < DURATION_BUCKETS.length && seconds > DURATION_BUCKETS[b]!) b++;
    figures.buckets[b]!++;
    figures.sum += seconds;
  }

  /** A request refused with 503 (overload limits, a full queue, or closing). */
  rejected(worker: number): void {
    this.#worker(worker).rejected++;
  }

  /** prom-client's JSON for these figures, every series labelled with `labels` and its worker. */
  toJson(labels: Record<string, string>): MetricJson[] {
    const requests: MetricJson = {
      name: 'switchyard_requests_total',
      help: 'Requests answered, by method and status class (aborted: the client left first).',
      type: 'counter',
      aggregator: 'sum',
      values: [],
    };
    const rejected: MetricJson = {
      name: 'switchyard_requests_rejected_total',
      help: 'Requests refused with 503: overload limits, a full queue, or closing.',
      type: 'counter',
      aggregator: 'sum',
      values: [],
    };
    const duration: MetricJson = {
      name: 'switchyard_request_duration_seconds',
      help: 'Time from the request head to the end of the response.',
      type: 'histogram',
      aggregator: 'sum',
      values: [],
    };
    for (const [worker, figures] of this.#byWorker) {
      const base = { ...labels, worker: String(worker) };
      figures.counts.forEach((value, i) => {
        if (value > 0)
          requests.values.push({ value, labels: { ...base, method: METHODS[Math.floor(i / STATUS.length)]!, status: STATUS[i % STATUS.length]! } });
      });
      rejected.values.push({ value: figures.rejected, labels: base });
      let cumulative = 0;
      DURATION_BUCKETS.forEach((le, i) => {
        cumulative += figures.buckets[i]!;
        duration.values.push({ metricName: `${duration.name}_bucket`, value: cumulative, labels: { ...base, le } });
      });
      cumulative += figures.buckets[DURATION_BUCKETS.length]!;
      duration.values.push({ metricName: `${duration.name}_bucket`, value: cumulative, labels: { ...base, le: '+Inf' } });
      duration.values.push({ metricName: `${duration.name}_sum`, value: figures.sum, labels: base });
      duration.values.push({ metricName: `${duration.name}_count`, value: cumulative, labels: base });
    }
    return [requests, rejected, duration];
  }
}
