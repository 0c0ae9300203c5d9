import { randomBytes } from 'node:crypto';
import { SwitchyardError, type ChannelBridge, type ChannelBridgeStats, type Logger } from '@switchyard/core';
import { createClient } from 'redis';
import { decodeFrame, encodeFrame } from './frame.js';
import { Outbox } from './outbox.js';

export interface RedisBridgeOptions {
  logger: Logger;
  /** Messages kept while Redis is away, at most. Default 10,000. */
  maxBuffered?: number;
  /** Bytes kept while Redis is away, at most. Default 8 MiB. */
  maxBufferedBytes?: number;
  /** How long the first connection may take before the server fails to start. Default 5,000 ms. */
  connectTimeoutMs?: number;
  /**
   * The connections' names in Redis (CLIENT SETNAME), with `:pub` and `:sub`
   * after it, so that `CLIENT LIST` tells whose they are. Default
   * `switchyard`; `serve()` passes `switchyard:<backend>`.
   */
  clientName?: string;
}

/** The Redis channel an app's messages travel on, unless the URL's `channel` parameter names another. */
export const DEFAULT_REDIS_CHANNEL = 'switchyard';
const MAX_RETRY_DELAY_MS = 2_000;
/**
 * After an outage, how long kept messages (and new ones, behind them) wait
 * once this instance has reconnected: every other instance retries at least
 * every MAX_RETRY_DELAY_MS, so by then those that can reach Redis are
 * subscribed again and miss nothing that follows.
 */
export const SETTLE_AFTER_OUTAGE_MS = MAX_RETRY_DELAY_MS + 500;

/**
 * Connects an instance's channel bridge to Redis: one connection publishes,
 * one subscribes (a subscribed connection takes no other commands). Both
 * are made before this resolves; a URL that does not connect fails the
 * start with `ERR_CHANNEL_CONNECT`. After that, a lost connection is made
 * again with back-off (100 ms doubling to 2 s), and what is published
 * meanwhile waits in a bounded buffer, sent in order 2.5 s after
 * reconnection (SETTLE_AFTER_OUTAGE_MS), when other instances are back too
 * (or kept on, should Redis go again before then); past the bound,
 * messages are dropped and counted, with one log line per outage. A
 * message in flight when the connection drops is dropped too: Redis may or
 * may not have sent it on, and sending it again could deliver it twice.
 * (Redis acknowledges a publish once it has queued the message for its
 * subscribers, so one it dies holding is lost with nothing to count.)
 * Redis pub/sub keeps nothing for a subscriber that is away, so messages
 * published elsewhere during an outage do not arrive.
 */
export async function createRedisBridge(url: string, options: RedisBridgeOptions): Promise<ChannelBridge> {
  const { logger, clientName: name = 'switchyard' } = options;
  const { redisUrl, channel, shown } = parseChannelUrl(url);
  const instance = randomBytes(16);
  const outbox = new Outbox(options.maxBuffered ?? 10_000, options.maxBufferedBytes ?? 8 * 1024 * 1024);
  const listeners: ((name: string, data: Uint8Array) => void)[] = [];
  const counts = { published: 0, received: 0, failed: 0, reconnects: 0 };
  let started = false;
  let closing = false;
  let down = false;
  let droppedAtOutage = 0;

  const reconnectStrategy = (retries: number, cause: Error) => {
    // Before the first connection, a failure fails the start instead.
    if (!started || closing) return cause;
    return Math.min(100 * 2 ** retries, MAX_RETRY_DELAY_MS);
  };
  let publisher: ReturnType<typeof createClient>;
  try {
    publisher = createClient({
      url: redisUrl,
      name: `${name}:pub`,
      disableOfflineQueue: true,
      socket: { reconnectStrategy, connectTimeout: options.connectTimeoutMs ?? 5_000 },
    });
  } catch (error) {
    throw connectFailed(shown, error);
  }
  const subscriber = publisher.duplicate({ name: `${name}:sub` });

  let settling: NodeJS.Timeout | undefined;
  const lost = (error: Error) => {
    if (!started || closing || down) return;
    down = true;
    if (settling === undefined) droppedAtOutage = outbox.dropped;
    // Gone again before the kept messages went out: they wait for the next return, not a dead connection.
    clearTimeout(settling);
    settling = undefined;
    logger.warn(`[switchyard] channel: lost Redis at ${shown} (${error.message}); reconnecting, keeping up to ${outbox.capacity} messages meanwhile`);
  };
  publisher.on('error', lost);
  subscriber.on('error', lost);

  const send = (frame: Buffer) => {
    publisher.publish(channel, frame).then(
      () => counts.published++,
      () => counts.failed++,
    );
  };
  const flush = () => {
    settling = undefined;
    const waiting = outbox.take();
    for (const frame of waiting) send(frame);
    return waiting.length;
  };
  // Back once both connections are: either may be the one that was lost.
  const ready = () => {
    if (!started || closing || !publisher.isReady || !subscriber.isReady) return;
    if (!down) return void flush();
    down = false;
    counts.reconnects++;
    clearTimeout(settling);
    settling = setTimeout(() => {
      const sent = flush();
      logger.info(`[switchyard] channel: Redis at ${shown} is back; sent ${sent} kept messages, dropped ${outbox.dropped - droppedAtOutage}`);
    }, SETTLE_AFTER_OUTAGE_MS);
    settling.unref();
  };
  publisher.on('ready', ready);
  subscriber.on('ready', ready);

  try {
    await Promise.all([publisher.connect(), subscriber.connect()]);
    await subscriber.subscribe(
      channel,
      (message: Buffer) => {
        const frame = decodeFrame(message);
        if (!frame || frame.instance.equals(instance)) return;
        counts.received++;
        for (const listener of listeners) listener(frame.name, frame.data);
      },
      true,
    );
  } catch (error) {
    publisher.destroy();
    subscriber.destroy();
    throw connectFailed(shown, error);
  }
  started = true;

  return {
    publish(name, data) {
      const frame = encodeFrame(instance, name, data);
      // Behind kept messages too: a publisher's messages arrive in order.
      if (!publisher.isReady || down || settling !== undefined || outbox.size > 0) {
        if (!outbox.push(frame) && outbox.dropped - droppedAtOutage === 1) {
          logger.warn(`[switchyard] channel: ${outbox.capacity} messages kept while Redis is away; dropping new ones until it is back`);
        }
        return;
      }
      send(frame);
    },
    onMessage(listener) {
      listeners.push(listener);
    },
    stats(): ChannelBridgeStats {
      return {
        transport: 'redis',
        connected: publisher.isReady && subscriber.isReady,
        published: counts.published,
        received: counts.received,
        buffered: outbox.size,
        dropped: outbox.dropped + counts.failed,
        reconnects: counts.reconnects,
      };
    },
    async close() {
      closing = true;
      clearTimeout(settling);
      await Promise.all([publisher, subscriber].map((client) => (client.isReady ? client.close().catch(() => client.destroy()) : client.destroy())));
    },
  };
}

/** The URL node-redis gets (without Switchyard's `channel` parameter), the Redis channel, and the URL without its password, for messages. */
export function parseChannelUrl(url: string): { redisUrl: string; channel: string; shown: string } {
  const parsed = new URL(url);
  const channel = parsed.searchParams.get('channel') || DEFAULT_REDIS_CHANNEL;
  parsed.searchParams.delete('channel');
  const redisUrl = parsed.href;
  if (parsed.password) parsed.password = '***';
  parsed.search = '';
  return { redisUrl, channel, shown: parsed.href };
}

function connectFailed(shown: string, cause: unknown): SwitchyardError {
  const reason = cause instanceof Error ? cause.message || cause.name : String(cause);
  return new SwitchyardError(
    'ERR_CHANNEL_CONNECT',
    `Invalid option "channel": cannot connect to Redis at ${shown} (${reason}). Check the URL (redis://[user:password@]host[:port][/db]), or start Redis.`,
    { cause },
  );
}
