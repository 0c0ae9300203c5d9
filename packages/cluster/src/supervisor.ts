/**
 * Keeps N processes serving: forks them, respawns one that dies (with
 * back-off, and a crash-loop stop), kills one whose heartbeats stop,
 * replaces processes one at a time (rolling restart, recycling) so each new
 * process is ready before the old one drains, and drains them all on stop.
 */
import { RestartPolicy, SwitchyardError, type Logger } from '@switchyard/core';
import { RestartCounts, type RestartCause } from '@switchyard/core/node';
import type { Spawn } from './child.js';
import type { ToPrimary, WorkerInit } from './messages.js';
import { requestLimit, type ResolvedClusterOptions } from './options.js';
import { describeExit, ProcessHandle, type ExitInfo, type MessageSink } from './process-handle.js';

/** How long a draining process may spend in `teardown` after its grace period, before it is killed. */
export const KILL_AFTER_MS = 5_000;

/** Startup failures that no retry can fix: fail `serve()` at once. */
const FATAL = new Set(['ERR_APP_NOT_FOUND', 'ERR_APP_INVALID', 'ERR_INVALID_OPTION', 'ERR_PORT_IN_USE', 'ERR_LISTEN']);

/** Who gets connections: the cluster's balancer; with a shared port (threads), nobody here. */
export interface Router {
  add(handle: ProcessHandle): void;
  remove(handle: ProcessHandle): void;
  acknowledged(handle: ProcessHandle, id: number): void;
  exited(handle: ProcessHandle): void;
}

/** How messages name what is supervised: `cluster` processes or `threads` threads, and the option group. */
export interface Naming {
  backend: 'cluster' | 'threads';
  /** `process` or `thread`. */
  noun: string;
}

export interface SupervisorOptions {
  workers: number;
  graceMs: number;
  cluster: ResolvedClusterOptions;
  /** What every process gets, less its slot and request limit. */
  init: Omit<WorkerInit, 'workerId' | 'maxRequests'>;
  /** Starts one process or thread. */
  spawn: Spawn;
  router: Router;
  naming: Naming;
  logger: Logger;
  /** Channel and log messages, for the primary to relay. */
  onMessage: MessageSink;
  /** A crash loop after `start()` resolved: the server must stop. */
  onFatal: (error: SwitchyardError) => void;
  /** Something readiness depends on changed (see `notReady`). */
  onStateChange?: () => void;
  /** A process became ready (it is told the server's readiness then). */
  onProcessReady?: (handle: ProcessHandle) => void;
  /** A process exited (its last metrics report is final). */
  onProcessExit?: (handle: ProcessHandle) => void;
}

interface Slot {
  readonly id: number;
  current: ProcessHandle | undefined;
  restarts: number;
  readonly policy: RestartPolicy;
  respawn: NodeJS.Timeout | undefined;
}

export class Supervisor {
  readonly #options: SupervisorOptions;
  readonly #slots: Slot[];
  readonly #live = new Set<ProcessHandle>();
  readonly #recycling = new Set<ProcessHandle>();
  #retiredRequests = 0;
  #stopping = false;
  #watchdog: NodeJS.Timeout | undefined;
  // Replacements (reloads, recycling) run one at a time, so capacity never drops by more than one process.
  #lane: Promise<void> = Promise.resolve();
  #startup: { resolve: () => void; reject: (error: Error) => void } | undefined;
  #reloading = false;
  /** Killed by the watchdog, so their exit counts as a watchdog restart. */
  readonly #hung = new WeakSet<ProcessHandle>();
  /** Replacements by slot and cause, for `/metrics`. */
  readonly restartCounts = new RestartCounts();

  /** `process` or `thread`, for messages. */
  get #noun(): string {
    return this.#options.naming.noun;
  }

  /** The backend, which is also the option group named in messages (`cluster.heartbeatTimeoutMs`). */
  get #group(): string {
    return this.#options.naming.backend;
  }

  constructor(options: SupervisorOptions) {
    this.#options = options;
    this.#slots = Array.from({ length: options.workers }, (_, i) => ({
      id: i + 1,
      current: undefined,
      restarts: 0,
      policy: new RestartPolicy(options.cluster),
      respawn: undefined,
    }));
  }

  /** Forks every process; resolves once all of them are ready, rejects on a crash loop or a fatal error. */
  start(): Promise<void> {
    this.#watchdog = setInterval(() => this.#watch(), this.#options.cluster.heartbeatIntervalMs);
    this.#watchdog.unref();
    return new Promise<void>((resolve, reject) => {
      this.#startup = { resolve, reject };
      for (const slot of this.#slots) this.#spawn(slot);
    });
  }

  /** Every process alive now: starting, ready or draining. */
  processes(): ProcessHandle[] {
    return [...this.#live];
  }

  restartsOf(slot: number): number {
    return this.#slots[slot - 1]?.restarts ?? 0;
  }

  get restarts(): number {
    return this.#slots.reduce((sum, slot) => sum + slot.restarts, 0);
  }

  /** Requests served by processes that have exited. */
  get retiredRequests(): number {
    return this.#retiredRequests;
  }

  /**
   * Rolling restart: each slot in turn gets a new process, which must be
   * ready before the old one stops taking connections and drains. If a new
   * process fails to become ready, the restart stops there and the old
   * processes keep serving.
   */
  reload(): Promise<void> {
    return this.#enqueue(async () => {
      this.#reloading = true;
      this.#options.onStateChange?.();
      try {
        for (const slot of this.#slots) {
          if (this.#stopping) return;
          const old = slot.current;
          if (old?.state === 'ready') await this.#replace(slot, old, 'reload');
        }
      } finally {
        this.#reloading = false;
        this.#options.onStateChange?.();
      }
    });
  }

  /**
   * Why the server is not ready, or undefined when it is: it is ready once
   * every slot's process is, and not while it stops, rolls a restart, waits
   * to respawn a process, or runs a process that replaced one that failed
   * quickly, until that one has lived `cluster.minUptimeMs` (a crash loop
   * is suspected until then).
   */
  notReady(): string | undefined {
    if (this.#stopping) return 'draining';
    if (this.#startup) return 'starting';
    if (this.#reloading) return 'rolling restart';
    const { minUptimeMs } = this.#options.cluster;
    for (const slot of this.#slots) {
      const current = slot.current;
      if (current?.state !== 'ready') return `${this.#noun} ${slot.id} is not ready`;
      if (slot.policy.failures > 0 && current.uptimeMs < minUptimeMs) return `${this.#noun} ${slot.id} failed quickly before: a crash loop is suspected`;
    }
    return undefined;
  }

  /** Drains every process within `graceMs`; resolves when all have exited. */
  async stop(graceMs: number): Promise<void> {
    this.#stopping = true;
    this.#options.onStateChange?.();
    for (const slot of this.#slots) clearTimeout(slot.respawn);
    const exits = [...this.#live].map((handle) => {
      this.#options.router.remove(handle);
      return handle.drain(graceMs, KILL_AFTER_MS);
    });
    await Promise.all(exits);
    clearInterval(this.#watchdog);
  }

  #enqueue(task: () => Promise<void>): Promise<void> {
    const run = this.#lane.then(task);
    this.#lane = run.catch(() => {});
    return run;
  }

  #fork(slot: Slot): ProcessHandle {
    const { cluster: clusterOptions } = this.#options;
    const init: WorkerInit = { ...this.#options.init, workerId: slot.id, maxRequests: requestLimit(clusterOptions) };
    const handle = new ProcessHandle(slot.id, this.#options.spawn(init), init.maxRequests, (h, message) => this.#onMessage(h, message));
    this.#live.add(handle);
    const readyTimer = setTimeout(() => {
      if (handle.state !== 'starting') return;
      handle.failure ??= new Error(`it was not ready within ${clusterOptions.readyTimeoutMs} ms (${this.#group}.readyTimeoutMs)`);
      handle.kill();
    }, clusterOptions.readyTimeoutMs);
    const clear = () => clearTimeout(readyTimer);
    handle.ready.then(() => {
      clear();
      this.#options.onProcessReady?.(handle);
    }, clear);
    void handle.exited.then((info) => {
      this.#exited(slot, handle, info);
      this.#options.onProcessExit?.(handle);
      this.#options.onStateChange?.();
    });
    return handle;
  }

  /** Starts a slot's process, at start or after a death. */
  #spawn(slot: Slot): void {
    slot.respawn = undefined;
    if (this.#stopping) return;
    const handle = this.#fork(slot);
    slot.current = handle;
    handle.ready.then(
      () => {
        if (slot.current !== handle || handle.state !== 'ready') return;
        this.#options.router.add(handle);
        if (this.#startup && this.#slots.every((s) => s.current?.state === 'ready')) {
          this.#startup.resolve();
          this.#startup = undefined;
        }
        this.#options.onStateChange?.();
      },
      () => {},
    );
  }

  async #replace(slot: Slot, old: ProcessHandle, cause: RestartCause): Promise<void> {
    const fresh = this.#fork(slot);
    try {
      await fresh.ready;
    } catch (error) {
      throw new SwitchyardError(
        'ERR_RELOAD_FAILED',
        `Could not replace ${this.#noun} ${slot.id} (${old.label}): its replacement did not become ready (${(error as Error).message}). The old ${this.#noun === 'process' ? 'processes' : `${this.#noun}s`} keep serving.`,
        { cause: error },
      );
    }
    if (this.#stopping) return void fresh.drain(this.#options.graceMs, KILL_AFTER_MS);
    if (slot.current !== old) {
      // The old process died meanwhile: the fresh one stands in for the respawn, unless that came first.
      if (slot.current !== undefined) return void fresh.drain(this.#options.graceMs, KILL_AFTER_MS);
      clearTimeout(slot.respawn);
      slot.respawn = undefined;
    }
    slot.current = fresh;
    slot.restarts++;
    this.restartCounts.add(slot.id, cause);
    slot.policy.reset();
    const { router } = this.#options;
    router.add(fresh);
    router.remove(old);
    await old.drain(this.#options.graceMs, KILL_AFTER_MS, true);
  }

  #recycle(handle: ProcessHandle, why: string): void {
    const slot = this.#slots[handle.slot - 1]!;
    if (this.#stopping || this.#recycling.has(handle) || slot.current !== handle || handle.state !== 'ready') return;
    this.#recycling.add(handle);
    this.#options.logger.info(`[switchyard] ${this.#group}: recycling ${this.#noun} ${slot.id} (${handle.label}): ${why}`);
    this.#enqueue(async () => {
      if (slot.current === handle && handle.state === 'ready') await this.#replace(slot, handle, 'recycle');
    }).catch((error: Error) => {
      this.#options.logger.error(`[switchyard] ${this.#group}: ${error.message}`);
      // Let the next heartbeat try again, after a pause.
      setTimeout(() => this.#recycling.delete(handle), this.#options.cluster.maxRestartDelayMs).unref();
    });
  }

  #onMessage(handle: ProcessHandle, message: ToPrimary): void {
    const { router, cluster: clusterOptions } = this.#options;
    switch (message.type) {
      case 'ack':
        router.acknowledged(handle, message.id);
        return;
      case 'heartbeat':
        if (handle.maxRequests > 0 && handle.requests >= handle.maxRequests) {
          this.#recycle(handle, `it served ${handle.requests} requests (${this.#group}.maxRequests)`);
        } else if (clusterOptions.maxRssBytes > 0 && handle.rssBytes > clusterOptions.maxRssBytes) {
          this.#recycle(handle, `its RSS of ${handle.rssBytes} bytes passed ${this.#group}.maxRssBytes (${clusterOptions.maxRssBytes})`);
        }
        return;
      default:
        this.#options.onMessage(handle, message);
    }
  }

  #exited(slot: Slot, handle: ProcessHandle, info: ExitInfo): void {
    this.#live.delete(handle);
    this.#recycling.delete(handle);
    this.#retiredRequests += handle.requests;
    this.#options.router.exited(handle);
    // Drained on purpose, replaced, or a replacement that never took over.
    if (this.#stopping || slot.current !== handle) return;
    slot.current = undefined;
    const { logger, cluster: clusterOptions } = this.#options;
    const started = handle.readyAt !== undefined;
    const failure = handle.failure;
    if (this.#startup && !started && failure instanceof SwitchyardError && FATAL.has(failure.code)) {
      return this.#fail(failure);
    }
    const quick = !started || handle.uptimeMs < clusterOptions.minUptimeMs;
    const decision = slot.policy.died(quick);
    const what = `${this.#noun === 'process' ? 'Process' : 'Thread'} ${slot.id} (${handle.label}) ${started ? 'exited' : 'failed to start'} (${failure ? failure.message : describeExit(info)})`;
    if (decision.crashLoop) {
      const error = new SwitchyardError(
        'ERR_CRASH_LOOP',
        `Crash loop: ${this.#noun} ${slot.id} failed ${decision.failures} times in a row, each before it was ready or within ${clusterOptions.minUptimeMs} ms of starting (${this.#group}.crashLoopLimit is ${clusterOptions.crashLoopLimit}), so the server stops instead of restarting it again. Last failure: ${what}.`,
        { cause: failure },
      );
      return this.#fail(error);
    }
    slot.restarts++;
    this.restartCounts.add(slot.id, this.#hung.has(handle) ? 'watchdog' : 'crash');
    logger.warn(`[switchyard] ${this.#group}: ${what}; starting a new one in ${decision.delayMs} ms`);
    slot.respawn = setTimeout(() => this.#spawn(slot), decision.delayMs);
  }

  #fail(error: SwitchyardError): void {
    // The server is going down from here: another slot failing in step must not raise a second error
    // (under the CLI, that one's exit raced the first one's message) or respawn.
    this.#stopping = true;
    for (const slot of this.#slots) clearTimeout(slot.respawn);
    if (this.#startup) {
      this.#startup.reject(error);
      this.#startup = undefined;
    } else {
      this.#options.onFatal(error);
    }
  }

  /** The watchdog: a process that stopped beating has a stuck event loop, and no way to recover by itself. */
  #watch(): void {
    const { heartbeatTimeoutMs } = this.#options.cluster;
    const now = Date.now();
    for (const handle of this.#live) {
      const silentMs = now - handle.lastBeat;
      // Before its hello a process is still booting Node, not running app code: readyTimeoutMs covers it.
      if (!handle.hello || silentMs <= heartbeatTimeoutMs || handle.killed) continue;
      handle.failure ??= new Error(`no heartbeat for ${silentMs} ms (${this.#group}.heartbeatTimeoutMs)`);
      this.#options.logger.error(
        `[switchyard] ${this.#group}: ${this.#noun} ${handle.slot} (${handle.label}) sent no heartbeat for ${silentMs} ms ` +
          `(${this.#group}.heartbeatTimeoutMs is ${heartbeatTimeoutMs}): its event loop is stuck. Killing it; the clients it was serving lose their connections.`,
      );
      this.#hung.add(handle);
      handle.kill('SIGKILL');
    }
  }
}
