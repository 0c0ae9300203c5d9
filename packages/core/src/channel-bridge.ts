/**
 * Channels across machines. Within one server, backends relay channel
 * messages between their threads or processes; with `channel` set, the
 * context that relays (the reactor's process, the pool's main thread, the
 * cluster's primary) also hands each message to a bridge, which carries it
 * to every other instance, and delivers what the bridge brings back. One
 * bridge per instance, so one pair of connections to the broker, however
 * many threads or processes serve.
 *
 * Messages cross the bridge as bytes: what `v8.serialize` makes of them,
 * so whatever `structuredClone` keeps arrives the same.
 */
import { deserialize, serialize } from 'node:v8';
import { invalidOption, packageNotInstalled } from './errors.js';
import { importInstalled } from './resolve-package.js';
import type { BackendName, ChannelBridge, Logger } from './types.js';

export const REDIS_PACKAGE = '@switchyard/redis';

/** The `channel` option, validated: a broker URL, a bridge, or undefined (off). */
export function resolveChannel(value: unknown, env: NodeJS.ProcessEnv): string | ChannelBridge | undefined {
  const input = value ?? (env.SWITCHYARD_CHANNEL === '' ? undefined : env.SWITCHYARD_CHANNEL);
  if (input === undefined || input === false) return undefined;
  if (isBridge(input)) return input;
  const accepted = 'a redis:// or rediss:// URL, or an object with publish, onMessage, stats and close';
  if (typeof input !== 'string') throw invalidOption('channel', accepted, input);
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw invalidOption('channel', accepted, input);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw invalidOption('channel', accepted, input);
  return input;
}

function isBridge(value: unknown): value is ChannelBridge {
  const bridge = value as Partial<ChannelBridge> | null;
  return typeof bridge === 'object' && bridge !== null && typeof bridge.publish === 'function' && typeof bridge.onMessage === 'function';
}

interface RedisModule {
  createRedisBridge(url: string, options: { logger: Logger; clientName?: string }): Promise<ChannelBridge>;
}

/**
 * Connects the bridge `channel` names: a URL loads @switchyard/redis, which
 * connects before this resolves, naming its connections after `backend`.
 */
export async function openChannelBridge(
  channel: string | ChannelBridge | undefined,
  logger: Logger,
  backend?: BackendName,
): Promise<ChannelBridge | undefined> {
  if (channel === undefined || typeof channel !== 'string') return channel;
  const module = await importInstalled<RedisModule>(REDIS_PACKAGE, [new URL(import.meta.url), process.cwd()]);
  if (!module) throw packageNotInstalled(REDIS_PACKAGE, 'The "channel" option with a redis:// URL');
  return module.createRedisBridge(channel, { logger, clientName: backend ? `switchyard:${backend}` : 'switchyard' });
}

export function encodeMessage(message: unknown): Uint8Array {
  return serialize(message);
}

export function decodeMessage(data: Uint8Array): unknown {
  return deserialize(data);
}
