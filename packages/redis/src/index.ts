export { createRedisBridge, parseChannelUrl, DEFAULT_REDIS_CHANNEL, SETTLE_AFTER_OUTAGE_MS, type RedisBridgeOptions } from './bridge.js';
