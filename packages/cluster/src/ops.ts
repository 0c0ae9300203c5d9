/**
 * Readiness and `/metrics` for a cluster, held by the primary: processes
 * push their figures every METRICS_INTERVAL_MS (a scrape never waits on
 * one), the primary tells them whenever readiness changes, and a process
 * asked for `/metrics` on the server's port gets the primary's merge.
 */
import type { ChannelBridge, ResolvedOptions } from '@switchyard/core';
import { channelMetrics, counter, gauge, RunnerOps, withLabels } from '@switchyard/core/node';
import type { Balancer } from './balancer.js';
import type { ToPrimary } from './messages.js';
import type { ProcessHandle } from './process-handle.js';
import type { Supervisor } from './supervisor.js';

/** How often the primary checks readiness that changes with time alone (a suspected crash loop ending). */
const READINESS_POLL_MS = 250;

function source(handle: ProcessHandle): string {
  return `pid-${handle.pid}`;
}

export class ClusterOps {
  readonly #ops: RunnerOps;
  readonly #supervisor: Supervisor;
  #published: string | null | undefined;
  readonly #poll: NodeJS.Timeout;

  constructor(options: ResolvedOptions, supervisor: Supervisor, balancer: Balancer, bridge: ChannelBridge | undefined) {
    this.#supervisor = supervisor;
    const primary = { backend: 'cluster', worker: '0' };
    this.#ops = new RunnerOps(options, {
      backend: 'cluster',
      worker: 0,
      notReady: () => this.#supervisor.notReady(),
      gauges: () => [
        ...this.#supervisor.restartCounts.toJson('cluster'),
        ...channelMetrics(bridge, 'cluster'),
        gauge('switchyard_requests_queued', 'Connections the primary holds for a process: waiting for one, or handed over and not yet taken.', [
          { value: balancer.queued, labels: primary },
        ]),
        counter(
          'switchyard_connections_rejected_total',
          'Connections the primary answered with 503 because no process could take them (its queue full, or closing).',
          [{ value: balancer.rejected, labels: primary }],
        ),
      ],
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
      this.#ops.board?.report(source(from), withLabels(message.metrics, { backend: 'cluster', worker: String(from.slot) }));
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

  /** Tells every process when readiness changed. */
  publishReadiness(): void {
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
