import { createRequire } from 'node:module';
import type { MetricJson } from './metric-json.js';

const require = createRequire(import.meta.url);
type PromClient = typeof import('prom-client');
let prom: PromClient | undefined;
/** prom-client loads only where metrics are on. */
function promClient(): PromClient {
  return (prom ??= require('prom-client') as PromClient);
}

/** How often threads and processes send their figures to the one that serves `/metrics`. */
export const METRICS_INTERVAL_MS = 1000;

export const PROMETHEUS_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
export const OPENMETRICS_TYPE = 'application/openmetrics-text; version=1.0.0; charset=utf-8';

/** Counters and histograms only: what must keep counting after their source is gone. */
function cumulative(metrics: MetricJson[]): MetricJson[] {
  return metrics.filter((metric) => metric.type === 'counter' || metric.type === 'histogram');
}

/**
 * Where one server's figures meet: the latest report of each thread or
 * process (pushed by them, so a scrape never waits on one), the running
 * figures of the thread that serves `/metrics`, and the counters of
 * sources that are gone. prom-client merges and encodes them.
 */
export class MetricsBoard {
  readonly #reports = new Map<string, MetricJson[]>();
  #retired: MetricJson[] = [];
  readonly #local: () => MetricJson[] | Promise<MetricJson[]>;

  constructor(local: () => MetricJson[] | Promise<MetricJson[]> = () => []) {
    this.#local = local;
  }

  /** The latest figures of `source` (a thread or process), replacing its previous ones. */
  report(source: string, metrics: MetricJson[]): void {
    this.#reports.set(source, metrics);
  }

  /**
   * `source` is gone (exited, replaced): its counters and histograms stay,
   * so series of the same labels continue from them; its gauges go.
   */
  async retire(source: string): Promise<void> {
    const last = this.#reports.get(source);
    if (!last) return;
    this.#reports.delete(source);
    const merged = promClient().AggregatorRegistry.aggregate([this.#retired, cumulative(last)] as never);
    this.#retired = (await merged.getMetricsAsJSON()) as unknown as MetricJson[];
  }

  /** Every figure, merged by name and labels. */
  async json(): Promise<MetricJson[]> {
    return [...(await this.#local()), ...[...this.#reports.values()].flat(), ...this.#retired];
  }

  /** The exposition: OpenMetrics when `openMetrics`, else Prometheus text. */
  async render(openMetrics: boolean): Promise<{ body: string; contentType: string }> {
    const { AggregatorRegistry, Registry } = promClient();
    // prom-client's types omit aggregate's second parameter, the content type of the registry it builds.
    const aggregate = AggregatorRegistry.aggregate as (metrics: MetricJson[][], contentType: string) => InstanceType<typeof Registry>;
    let metrics = await this.json();
    // OpenMetrics names a counter without `_total` and its sample with it; prom-client adds the suffix.
    if (openMetrics) metrics = metrics.map((m) => (m.type === 'counter' ? { ...m, name: m.name.replace(/_total$/, '') } : m));
    const registry = aggregate([metrics], openMetrics ? Registry.OPENMETRICS_CONTENT_TYPE : Registry.PROMETHEUS_CONTENT_TYPE);
    return { body: await registry.metrics(), contentType: openMetrics ? OPENMETRICS_TYPE : PROMETHEUS_TYPE };
  }
}

/** Whether a scrape's `Accept` header asks for OpenMetrics. */
export function wantsOpenMetrics(accept: string | undefined): boolean {
  return accept?.includes('application/openmetrics-text') === true;
}
