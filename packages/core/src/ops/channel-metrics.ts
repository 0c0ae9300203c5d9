import type { ChannelBridge } from '../types.js';
import { counter, gauge, type MetricJson } from './metric-json.js';

/** The channel bridge's state for `/metrics`, from the context that holds it (worker 0). */
export function channelMetrics(bridge: ChannelBridge | undefined, backend: string): MetricJson[] {
  if (!bridge) return [];
  const stats = bridge.stats();
  const labels = { backend, worker: '0', transport: stats.transport };
  return [
    gauge('switchyard_channel_connected', 'Whether channel messages reach other instances now (1), or wait in the buffer (0).', [
      { value: stats.connected ? 1 : 0, labels },
    ]),
    gauge('switchyard_channel_buffered', 'Channel messages waiting for the connection to other instances to come back.', [{ value: stats.buffered, labels }]),
    counter('switchyard_channel_published_total', 'Channel messages sent to other instances.', [{ value: stats.published, labels }]),
    counter('switchyard_channel_received_total', 'Channel messages received from other instances.', [{ value: stats.received, labels }]),
    counter('switchyard_channel_dropped_total', 'Channel messages dropped: the buffer was full, or the connection failed under them.', [
      { value: stats.dropped, labels },
    ]),
    counter('switchyard_channel_reconnects_total', 'Times the connection to other instances was lost and made again.', [{ value: stats.reconnects, labels }]),
  ];
}
