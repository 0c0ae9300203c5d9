import type { ResolvedOptions } from '../options.js';
import type { BackendName } from '../types.js';
import { AccessLog } from './access-log.js';
import { appMetricsJson } from './app-metrics.js';
import { MetricsBoard } from './board.js';
import { RunnerEndpoints, type Scrape } from './endpoints.js';
import { LoopGauges } from './loop-gauges.js';
import { OpsThread } from './ops-thread.js';
import { withLabels, type MetricJson } from './metric-json.js';
import { RequestObserver } from './observer.js';
import { RequestRecorder } from './recorder.js';

export interface RunnerOpsSetup {
  backend: BackendName;
  /** The worker label of this thread or process: 0 for a reactor or a pool's main thread. */
  worker: number;
  /** Why the server is not ready yet or any more; undefined when it is. */
  notReady: () => string | undefined;
  /** The backend's own figures besides requests, loop and app metrics (in flight, queued, threads). */
  gauges?: () => MetricJson[];
  /** Replaces the local scrape: a cluster process asks its primary, which merges every process. */
  scrape?: (openMetrics: boolean) => Promise<Scrape>;
  /** False where another process serves the metrics port (a cluster's processes). Default true. */
  servePort?: boolean;
  /** RSS is this context's to report (false on a pool thread). Default true. */
  rss?: boolean;
}

/**
 * What one accepting thread or process runs for operators: the request
 * observer (metrics, access logs), the runner's own paths (health,
 * readiness, `/metrics`), and a listener on a thread of its own when
 * `/metrics` has a port (ops-thread.ts). Each piece exists only when its option is on.
 */
export class RunnerOps {
  readonly observer: RequestObserver | undefined;
  readonly endpoints: RunnerEndpoints;
  /** Where reports of other threads or processes go; undefined when metrics are off. */
  readonly board: MetricsBoard | undefined;
  readonly #options: ResolvedOptions;
  readonly #setup: RunnerOpsSetup;
  readonly #loop: LoopGauges | undefined;
  /** The metrics port's own thread, when `metrics` is a port this context serves. */
  #portThread: OpsThread | undefined;

  constructor(options: ResolvedOptions, setup: RunnerOpsSetup) {
    this.#options = options;
    this.#setup = setup;
    const recorder = options.metrics ? new RequestRecorder() : undefined;
    const access = options.pino ? new AccessLog(options.pino) : undefined;
    this.observer = recorder || access ? new RequestObserver(recorder, access) : undefined;
    this.#loop = options.metrics ? new LoopGauges() : undefined;
    this.board = options.metrics ? new MetricsBoard(() => this.local()) : undefined;
    const scrape = setup.scrape ?? (this.board ? (openMetrics: boolean) => this.board!.render(openMetrics) : undefined);
    const metricsPath = options.metrics && 'path' in options.metrics ? options.metrics.path : undefined;
    this.endpoints = new RunnerEndpoints({ health: options.health, metricsPath, notReady: setup.notReady, scrape, logger: options.logger });
  }

  /** This context's own figures, labelled with its backend and worker. */
  async local(): Promise<MetricJson[]> {
    const labels = { backend: this.#setup.backend };
    const own = { ...labels, worker: String(this.#setup.worker) };
    return [
      ...(this.observer?.recorder?.toJson(labels) ?? []),
      ...(this.#loop?.toJson(own, this.#setup.rss ?? true) ?? []),
      ...(this.#setup.gauges?.() ?? []),
      ...withLabels(await appMetricsJson(), own),
    ];
  }

  /** Opens the metrics port, when `metrics` is one and this context serves it. */
  async listen(): Promise<void> {
    const target = this.#options.metrics;
    if (!target || !('port' in target) || this.#setup.servePort === false) return;
    this.#portThread = await OpsThread.start({
      port: target.port,
      host: this.#options.host,
      health: this.#options.health,
      notReady: this.#setup.notReady,
      scrape: (openMetrics) => this.board!.render(openMetrics),
      logger: this.#options.logger,
    });
  }

  /** The server started or stopped serving: the metrics port's thread hears the readiness at once. */
  readinessChanged(): void {
    this.#portThread?.publish();
  }

  async close(): Promise<void> {
    this.#loop?.stop();
    this.observer?.close();
    await this.#portThread?.close();
  }
}
