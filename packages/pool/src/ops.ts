import { counter, gauge, type MetricJson } from '@switchyard/core/node';
import type { Dispatcher } from './dispatch.js';

/** The pool's own figures for `/metrics`: requests in flight and queued, each thread's load, the express lane's use, replacements. */
export function poolGauges(dispatcher: Dispatcher, inFlight: () => number): MetricJson[] {
  const backend = 'pool';
  const main = { backend, worker: '0' };
  const threads = dispatcher.threads.map((thread) => ({ thread, labels: { backend, worker: String(thread.id), express: String(thread.express) } }));
  return [
    gauge('switchyard_requests_in_flight', 'Requests being handled now.', [{ value: inFlight(), labels: main }]),
    gauge('switchyard_requests_queued', 'Requests waiting on the main thread for a pool thread.', [{ value: dispatcher.queue.size, labels: main }]),
    gauge(
      'switchyard_pool_thread_utilization',
      "Share of time each pool thread's event loop was busy since the previous scrape, 0..1.",
      threads.map(({ thread, labels }) => ({ value: thread.stats.utilizationSinceScrape(thread.worker), labels })),
    ),
    gauge(
      'switchyard_pool_thread_in_flight',
      'Requests and streams each pool thread holds now.',
      threads.map(({ thread, labels }) => ({ value: thread.running.size + thread.streams.size, labels })),
    ),
    counter('switchyard_pool_express_lane_requests_total', 'Requests the express lane took while the serving threads were busy.', [
      { value: dispatcher.expressRequests, labels: main },
    ]),
    ...dispatcher.restarts.toJson(backend),
  ];
}
