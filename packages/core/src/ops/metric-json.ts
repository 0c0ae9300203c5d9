/**
 * prom-client's JSON form of a metric (`registry.getMetricsAsJSON()`):
 * what threads and processes send to the one that serves `/metrics`, and
 * what prom-client's `AggregatorRegistry.aggregate` merges and encodes.
 */
export interface MetricJson {
  name: string;
  help: string;
  /** 'counter', 'gauge', 'histogram' or 'summary'. */
  type: string;
  aggregator: string;
  values: { value: number; labels: Record<string, string | number>; metricName?: string }[];
}

/** A gauge with one value per label set. */
export function gauge(name: string, help: string, values: MetricJson['values']): MetricJson {
  return { name, help, type: 'gauge' as const, aggregator: 'sum', values };
}

/** A counter with one value per label set. */
export function counter(name: string, help: string, values: MetricJson['values']): MetricJson {
  return { name, help, type: 'counter' as const, aggregator: 'sum', values };
}

/** Adds `labels` to every value of `metrics` (values' own labels win). */
export function withLabels(metrics: MetricJson[], labels: Record<string, string>): MetricJson[] {
  return metrics.map((metric) => ({ ...metric, values: metric.values.map((value) => ({ ...value, labels: { ...labels, ...value.labels } })) }));
}
