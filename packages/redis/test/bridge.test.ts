import { execFileSync } from 'node:child_process';
import { SwitchyardError, type ChannelBridge, type Logger } from '@switchyard/core';
import { decodeMessage, encodeMessage } from '@switchyard/core/node';
import { createRedisBridge, parseChannelUrl, SETTLE_AFTER_OUTAGE_MS } from '@switchyard/redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureRedisServer, RedisServer } from '../../../test-support/redis-server.mjs';
import { Relay } from './support/relay.js';

let redis: RedisServer;
beforeAll(async () => {
  ensureRedisServer();
  redis = await RedisServer.start();
}, 120_000);
afterAll(async () => {
  await redis?.stop();
});

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const keep = (...args: unknown[]) => lines.push(args.map(String).join(' '));
  return { lines, error: keep, warn: keep, info: keep };
}

/** Collects what `bridge` receives, decoded. */
function inbox(bridge: ChannelBridge): { name: string; message: unknown }[] {
  const got: { name: string; message: unknown }[] = [];
  bridge.onMessage((name, data) => got.push({ name, message: decodeMessage(data) }));
  return got;
}

async function until(check: () => boolean, ms: number, what: string): Promise<void> {
  for (const deadline = Date.now() + ms; !check(); ) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('the Redis channel bridge', () => {
  it('carries messages between instances, in order, structured-clone faithful, never back to their publisher', async () => {
    const logger = recordingLogger();
    const [a, b] = await Promise.all([createRedisBridge(redis.url, { logger }), createRedisBridge(redis.url, { logger })]);
    try {
      const gotA = inbox(a);
      const gotB = inbox(b);
      const when = new Date(0);
      for (let i = 0; i < 200; i++) a.publish(i % 2 ? 'odd' : 'even', encodeMessage({ i, when, tags: new Set([i]) }));
      await until(() => gotB.length === 200, 5_000, 'b receives 200');
      expect(gotB.map(({ message }) => (message as { i: number }).i)).toEqual([...Array(200).keys()]);
      expect(gotB[1]).toEqual({ name: 'odd', message: { i: 1, when, tags: new Set([1]) } });
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(gotA).toEqual([]);
      expect(a.stats()).toMatchObject({ transport: 'redis', connected: true, published: 200, dropped: 0 });
      expect(b.stats()).toMatchObject({ received: 200 });
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('keeps what is published while Redis is down, up to its bound, sends it in order on return, and counts the rest as dropped', async () => {
    const logger = recordingLogger();
    const a = await createRedisBridge(redis.url, { logger, maxBuffered: 50 });
    const b = await createRedisBridge(redis.url, { logger: recordingLogger() });
    try {
      const gotB = inbox(b);
      await redis.stop();
      await until(() => !a.stats().connected, 5_000, 'a sees Redis gone');
      for (let i = 0; i < 80; i++) a.publish('outage', encodeMessage(i));
      expect(a.stats()).toMatchObject({ connected: false, buffered: 50, dropped: 30 });
      // One line per outage for the loss, one for the full buffer.
      expect(
        logger.lines.filter((line) => line.includes('lost Redis')),
        logger.lines.join('\n'),
      ).toHaveLength(1);
      expect(logger.lines.filter((line) => line.includes('dropping new ones'))).toHaveLength(1);

      await redis.resume();
      await until(() => a.stats().connected && b.stats().connected, 10_000, 'both reconnect');
      await until(() => gotB.length === 50, 10_000, 'b receives the 50 kept');
      expect(gotB.map(({ message }) => message)).toEqual([...Array(50).keys()]);
      expect(a.stats()).toMatchObject({ buffered: 0, reconnects: 1 });
      expect(logger.lines.some((line) => line.includes('is back; sent 50 kept messages, dropped 30'))).toBe(true);

      // And nothing published after the return is lost.
      for (let i = 0; i < 20; i++) a.publish('after', encodeMessage(i));
      await until(() => gotB.length === 70, 5_000, 'b receives 20 more');
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  }, 30_000);

  it('keeps what it holds when Redis goes away again before the kept messages went out', async () => {
    const logger = recordingLogger();
    const a = await createRedisBridge(redis.url, { logger });
    const b = await createRedisBridge(redis.url, { logger: recordingLogger() });
    try {
      const gotB = inbox(b);
      await redis.stop();
      await until(() => !a.stats().connected, 5_000, 'a sees Redis gone');
      for (let i = 0; i < 5; i++) a.publish('outage', encodeMessage(i));
      await redis.resume();
      await until(() => a.stats().connected, 10_000, 'a reconnects');
      // Within the 2.5 s a waits before sending what it kept, Redis goes again.
      expect(a.stats()).toMatchObject({ buffered: 5 });
      await redis.stop();
      await until(() => !a.stats().connected, 5_000, 'a sees Redis gone again');
      for (let i = 5; i < 8; i++) a.publish('outage', encodeMessage(i));
      // Down past the moment the first return would have sent them.
      await new Promise((resolve) => setTimeout(resolve, SETTLE_AFTER_OUTAGE_MS + 200));
      expect(a.stats()).toMatchObject({ connected: false, buffered: 8, dropped: 0 });
      await redis.resume();
      await until(() => gotB.length === 8, 15_000, 'b receives all 8 kept');
      expect(gotB.map(({ message }) => message)).toEqual([...Array(8).keys()]);
      expect(a.stats()).toMatchObject({ connected: true, buffered: 0, dropped: 0, reconnects: 2 });
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  }, 40_000);

  it('holds what it publishes right after Redis returns until an instance that reconnects later has subscribed again', async () => {
    const relay = await Relay.start(redis.port);
    const a = await createRedisBridge(redis.url, { logger: recordingLogger() });
    const b = await createRedisBridge(relay.url, { logger: recordingLogger() });
    try {
      const gotB = inbox(b);
      await Promise.all([relay.cut(), redis.stop()]);
      await until(() => !a.stats().connected && !b.stats().connected, 5_000, 'both see Redis gone');
      await redis.resume();
      await until(() => a.stats().connected, 10_000, 'a reconnects');
      // b's way to Redis opens only now: b reconnects at its next retry, up to 2 s later.
      await relay.open();
      a.publish('after', encodeMessage('right after the return'));
      await until(() => gotB.length === 1, 10_000, 'b receives what a published before b was back');
      expect(gotB).toEqual([{ name: 'after', message: 'right after the return' }]);
      expect(a.stats()).toMatchObject({ published: 1, dropped: 0 });
    } finally {
      await Promise.all([a.close(), b.close()]);
      await relay.cut();
    }
  }, 30_000);

  it('recovers when only its subscribing connection is lost, and tells so once', async () => {
    const logger = recordingLogger();
    const a = await createRedisBridge(redis.url, { logger });
    const b = await createRedisBridge(redis.url, { logger: recordingLogger() });
    try {
      const gotA = inbox(a);
      // Redis drops every subscribed connection: a's publisher stays up.
      execFileSync('redis-cli', ['-p', String(redis.port), 'CLIENT', 'KILL', 'TYPE', 'pubsub']);
      await until(() => logger.lines.some((line) => line.includes('lost Redis')), 5_000, 'a notices');
      await until(() => logger.lines.some((line) => line.includes('is back')), 10_000, 'a is back');
      expect(a.stats()).toMatchObject({ connected: true, reconnects: 1 });
      b.publish('after', encodeMessage('hello'));
      await until(() => gotA.length === 1, 10_000, 'a receives after its subscriber returned');
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  }, 30_000);

  it('fails at start with ERR_CHANNEL_CONNECT when nothing answers at the URL', async () => {
    const error = await createRedisBridge('redis://127.0.0.1:1', { logger: recordingLogger() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SwitchyardError);
    expect(error).toMatchObject({ code: 'ERR_CHANNEL_CONNECT' });
    expect((error as Error).message).toContain('redis://127.0.0.1:1');
  });

  it("reads the Redis channel from the URL's channel parameter and hides the password in messages", () => {
    expect(parseChannelUrl('redis://:secret@cache:6380/2?channel=shop')).toEqual({
      redisUrl: 'redis://:secret@cache:6380/2',
      channel: 'shop',
      shown: 'redis://:***@cache:6380/2',
    });
    expect(parseChannelUrl('redis://cache').channel).toBe('switchyard');
  });
});
