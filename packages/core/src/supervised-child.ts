import type { FromChild } from './supervisor.js';

/** How often a supervised process says it is alive: its event loop is free if the timer runs. */
const BEAT_MS = 500;

/**
 * The supervised process's side (supervisor.ts): says when it serves, beats
 * while its event loop turns, and exits when its supervisor is gone, so a
 * killed supervisor leaves no server behind.
 */
export function reportToSupervisor(port: number, stop: () => Promise<void>): void {
  const send = (message: FromChild) => process.send?.(message);
  send({ t: 'ready', port });
  setInterval(() => send({ t: 'beat' }), BEAT_MS).unref();
  process.once('disconnect', () => {
    stop().finally(() => process.exit(0));
  });
}

/** Tells the supervisor that this start failed for a reason no restart fixes. */
export function reportFatal(): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) return resolve();
    process.send({ t: 'fatal' } satisfies FromChild, () => resolve());
  });
}
