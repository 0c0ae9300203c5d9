/**
 * Readiness and `/metrics` for a cluster (or threads), held by the primary: processes
 * push their figures every METRICS_INTERVAL_MS (a scrape never waits on
 * one), the primary tells them whenever readiness changes, and a process
 * asked for `/metrics` on the server's port gets the primary's merge.
 */
import type { ChannelBridge, ResolvedOptions } from '@switchyard/core';
import { channelMetrics, type MetricJson, RunnerOps, withLabels } from '@switchyard/core/node';
import type { ToPrimary } from './messages.js';
import type { ProcessHandle } from './process-handle.js';
import type { Supervisor } from './supervisor.js';

/** How often the primary checks readiness that changes with time alone (a suspected crash loop ending). */
const READINESS_POLL_MS = 250;

function source(handle: ProcessHandle): string {
  return handle.label.replace(' ', '-');
}

export class ClusterOps {
  readonly #ops: RunnerOps;
  readonly #supervisor: Supervisor;
  #published: string | null | undefined;
  readonly #poll: NodeJS.Timeout;
  readonly #backend: 'cluster' | 'threads';

  /** `gauges`: the primary's own figures (the cluster's balancer). */
  constructor(options: ResolvedOptions, supervisor: Supervisor, backend: 'cluster' | 'threads', gauges: () => MetricJson[], bridge: ChannelBridge | undefined) {
    this.#supervisor = supervisor;
    this.#backend = backend;
    this.#ops = new RunnerOps(options, {
      backend,
      worker: 0,
      notReady: () => this.#supervisor.notReady(),
      gauges: () => [...this.#supervisor.restartCounts.toJson(backend), ...channelMetrics(bridge, backend), ...gauges()],
    });
    this.#poll = setInterval(() => this.publishReadiness(), READINESS_POLL_MS);
    this.#poll.unref();
  }

  /** Opens the metrics port, when `metrics` is one. */
  listen(): Promise<void> {
    return this.#ops.listen();
  }

  /** Takes the messages that are about readiness or metrics; false for any other. */
  handle(from: ProcessHandle, message: ToPrimary): boolean {
    if (message.type === 'metrics') {
      this.#ops.board?.report(source(from), withLabels(message.metrics, { backend: this.#backend, worker: String(from.slot) }));
      return true;
    }
    if (message.type === 'scrape') {
      const board = this.#ops.board;
      if (!board) return true;
      board.render(message.openMetrics).then(
        ({ body, contentType }) => from.send({ type: 'scrape', id: message.id, body, contentType }),
        (error: Error) => from.send({ type: 'scrape', id: message.id, body: `/metrics failed: ${error.message}\n`, contentType: 'text/plain' }),
      );
      return true;
    }
    return false;
  }

  /** Tells every process, and the metrics port's thread, when readiness changed. */
  publishReadiness(): void {
    this.#ops.readinessChanged();
    const notReady = this.#supervisor.notReady() ?? null;
    if (notReady === this.#published) return;
    this.#published = notReady;
    for (const handle of this.#supervisor.processes()) handle.send({ type: 'readiness', notReady });
  }

  /** A process just became ready: it learns where the server stands. */
  tellReadiness(handle: ProcessHandle): void {
    handle.send({ type: 'readiness', notReady: this.#supervisor.notReady() ?? null });
  }

  /** A process exited: its counters stay in the sums, its gauges go. */
  exited(handle: ProcessHandle): void {
    void this.#ops.board?.retire(source(handle));
  }

  async close(): Promise<void> {
    clearInterval(this.#poll);
    await this.#ops.close();
  }
}
