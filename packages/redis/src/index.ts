export { createRedisBridge, parseChannelUrl, DEFAULT_REDIS_CHANNEL, type RedisBridgeOptions } from './bridge.js';
