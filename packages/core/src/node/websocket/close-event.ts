/**
 * Bun and newer Node have a global `CloseEvent`; Node 20 does not, and apps
 * written for Bun's WebSockets (Hono's `hono/bun` helper among them) build
 * one in their close handler. Installed only where it is missing, and only
 * where an app takes WebSockets.
 */
export function ensureCloseEvent(): void {
  if (typeof (globalThis as { CloseEvent?: unknown }).CloseEvent === 'function') return;
  class CloseEvent extends Event {
    readonly code: number;
    readonly reason: string;
    readonly wasClean: boolean;
    constructor(type: string, init: { code?: number; reason?: string; wasClean?: boolean } & EventInit = {}) {
      super(type, init);
      this.code = init.code ?? 0;
      this.reason = init.reason ?? '';
      this.wasClean = init.wasClean ?? false;
    }
  }
  Object.defineProperty(globalThis, 'CloseEvent', { value: CloseEvent, writable: true, configurable: true, enumerable: false });
}
