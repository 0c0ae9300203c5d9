import { invalidOption } from '../../errors.js';
import type { WebSocketHandler } from '../../types.js';

/** The settings of an app's `websocket` export, checked, with defaults filled in. Plain data: it crosses to a pool's main thread. */
export interface SocketOptions {
  maxPayloadLength: number;
  backpressureLimit: number;
  closeOnBackpressureLimit: boolean;
  /** Seconds; 0 never. */
  idleTimeout: number;
  sendPings: boolean;
  publishToSelf: boolean;
  perMessageDeflate: boolean;
  /** Which handlers the app has, so the side holding the sockets skips events nobody listens to. */
  has: { open: boolean; close: boolean; drain: boolean };
}

const HANDLERS = ['message', 'open', 'close', 'drain'] as const;

function whole(name: string, value: unknown, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) throw invalidOption(`websocket.${name}`, `an integer >= ${min}`, value);
  return value;
}

function flag(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw invalidOption(`websocket.${name}`, 'true or false', value);
  return value;
}

/**
 * Checks the app's `websocket` export the way serve() checks its options:
 * a wrong type fails at start, naming the setting. Undefined when the app
 * takes no WebSockets.
 */
export function resolveSocketOptions(handler: WebSocketHandler<unknown> | undefined, maxBodySize: number): SocketOptions | undefined {
  if (handler === undefined) return undefined;
  if (handler === null || typeof handler !== 'object') throw invalidOption('websocket', 'an object of handlers ({ message, open, close, drain })', handler);
  for (const name of HANDLERS) {
    const value = handler[name];
    if (value !== undefined && typeof value !== 'function') throw invalidOption(`websocket.${name}`, 'a function', value);
  }
  if (typeof handler.message !== 'function') throw invalidOption('websocket.message', 'a function (every WebSocket handler object needs one)', handler.message);
  const perMessageDeflate = handler.perMessageDeflate;
  if (perMessageDeflate !== undefined && typeof perMessageDeflate !== 'boolean') {
    throw invalidOption('websocket.perMessageDeflate', 'true or false (per-direction settings are not supported)', perMessageDeflate);
  }
  return {
    maxPayloadLength: whole('maxPayloadLength', handler.maxPayloadLength, maxBodySize, 1),
    backpressureLimit: whole('backpressureLimit', handler.backpressureLimit, 16 * 1024 * 1024, 1),
    closeOnBackpressureLimit: flag('closeOnBackpressureLimit', handler.closeOnBackpressureLimit, false),
    idleTimeout: whole('idleTimeout', handler.idleTimeout, 120, 0),
    sendPings: flag('sendPings', handler.sendPings, true),
    publishToSelf: flag('publishToSelf', handler.publishToSelf, false),
    perMessageDeflate: perMessageDeflate ?? false,
    has: { open: typeof handler.open === 'function', close: typeof handler.close === 'function', drain: typeof handler.drain === 'function' },
  };
}
