/**
 * The life of the pool's threads: starts threads 1..N (and N+1, the express
 * lane, when `pool.expressLane` is on), keeps one standby
 * session warm (thread started, app imported, no `setup` yet) so that a lost
 * thread is replaced in about a millisecond instead of the tens it takes to
 * boot a thread, and samples each thread's event loop so that a stuck one
 * can be told from a slow one.
 */
import { performance } from 'node:perf_hooks';
import { SwitchyardError, type Logger } from '@switchyard/core';
import { SessionLink, type LinkConfig } from './link.js';
import { ThreadHandle, type ThreadEvents } from './thread.js';

/** How often each thread's event-loop idle time is read, for stuck-thread detection. */
const SAMPLE_MS = 100;
/** Restarting a thread whose `setup` keeps failing backs off up to this. */
const MAX_RESTART_DELAY_MS = 30_000;

export interface ThreadsConfig extends LinkConfig {
  workers: number;
  expressLane: boolean;
  logger: Logger;
  /** A thread joined or rejoined and can take requests. */
  onReady: () => void;
}

/** What a reload tells the dispatcher: requests a draining thread still held past the grace period, and each thread replaced. */
export interface ReloadHooks {
  abandon(thread: ThreadHandle): void;
  swapped(thread: ThreadHandle): void;
}

export class Threads {
  /** Every thread: the serving ones, then the express lane. */
  readonly list: ThreadHandle[] = [];
  /** Threads 1..N, which take any request. */
  readonly serving: ThreadHandle[];
  /** Thread N+1, which takes only cheap requests while the others are busy (`pool.expressLane`). */
  readonly express: ThreadHandle | undefined;
  readonly #config: ThreadsConfig;
  readonly #delays = new Map<ThreadHandle | 'standby', number>();
  #standby: SessionLink | undefined;
  #standbyReady = false;
  #sampler: NodeJS.Timeout | undefined;
  #closing = false;
  /**
   * A reload is replacing the threads. The pool has one piscina thread per
   * session and one for the standby: a standby started meanwhile would take
   * the thread the reload's next session waits for, and the reload would
   * never end. The reload starts the standby when it is done.
   */
  #reloading = false;
  #reloads: Promise<void> = Promise.resolve();

  constructor(config: ThreadsConfig, events: ThreadEvents) {
    this.#config = config;
    const { niceIncrement } = config;
    for (let id = 1; id <= config.workers; id++) this.list.push(new ThreadHandle(id, events, { express: false, niceIncrement }));
    this.serving = [...this.list];
    this.express = config.expressLane ? new ThreadHandle(config.workers + 1, events, { express: true, niceIncrement }) : undefined;
    if (this.express) this.list.push(this.express);
  }

  /**
   * Starts every thread; rejects with the first `setup` failure, but only once
   * every thread has settled: terminating a thread while it is still loading
   * ES modules aborts the whole process on Node 20 (a V8 fatal error).
   */
  async start(): Promise<void> {
    const results = await Promise.allSettled(this.list.map((thread) => thread.start(this.#session(thread), false)));
    const failed = results.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    this.#sampler = setInterval(() => {
      const now = performance.now();
      for (const thread of this.list) thread.sample(now);
    }, SAMPLE_MS);
    this.#sampler.unref();
    this.#replenish();
  }

  /** Puts a new session in place of `thread`'s lost one: the standby if it is ready. */
  replace(thread: ThreadHandle): void {
    if (this.#closing) return;
    let link: SessionLink;
    let activate = false;
    if (this.#standby && this.#standbyReady) {
      link = this.#standby;
      activate = true;
      this.#standby = undefined;
      this.#standbyReady = false;
      this.#replenish();
    } else link = this.#session(thread);
    thread.start(link, activate).then(
      () => {
        this.#delays.delete(thread);
        this.#config.onReady();
      },
      (error: Error) => {
        if (this.#closing) return;
        const delay = this.#nextDelay(thread);
        this.#config.logger.error(`[switchyard] pool thread ${thread.id} could not start: ${error.message}; retrying in ${delay} ms`, error);
        setTimeout(() => this.replace(thread), delay).unref();
      },
    );
  }

  /**
   * Gives every thread a session that imports the app anew, one thread at
   * a time (ThreadHandle.swap). Each new session has loaded the app before
   * the old one stops taking requests, so an app that no longer loads
   * rejects the reload with its error while the old sessions serve on.
   * Reloads run one after another.
   */
  reload(graceMs: number, hooks: ReloadHooks): Promise<void> {
    const run = this.#reloads.then(() => this.#reload(graceMs, hooks));
    this.#reloads = run.catch(() => {});
    return run;
  }

  async #reload(graceMs: number, hooks: ReloadHooks): Promise<void> {
    // The standby holds the app as it was.
    const stale = this.#standby;
    this.#standby = undefined;
    this.#standbyReady = false;
    void stale?.settleThenTerminate(graceMs);
    this.#reloading = true;
    try {
      for (const thread of this.list) {
        if (this.#closing) return;
        // A standby: the app imported, its `setup` held until the old session's `teardown` has run.
        const link = new SessionLink(this.#config, 0);
        await link.up.catch((error: Error) => {
          throw new SwitchyardError(
            'ERR_RELOAD_FAILED',
            `Could not reload pool thread ${thread.id}: the app did not load (${error.message}). The threads keep serving the app as it was.`,
            { cause: error },
          );
        });
        await thread.swap(link, graceMs, hooks.abandon).then(
          (swapped) => swapped && hooks.swapped(thread),
          (error: Error) => {
            // The new app loaded but its setup failed here: retry as for a lost thread.
            this.#config.logger.error(`[switchyard] pool thread ${thread.id} could not start after a reload: ${error.message}`, error);
            this.replace(thread);
          },
        );
      }
    } finally {
      this.#reloading = false;
      this.#replenish();
    }
  }

  async close(graceMs: number): Promise<void> {
    this.#closing = true;
    clearInterval(this.#sampler);
    const standby = this.#standby;
    this.#standby = undefined;
    await Promise.all([standby?.settleThenTerminate(graceMs), ...this.list.map((thread) => thread.close(graceMs))]);
  }

  /** A new session to be `thread`, at that thread's priority. */
  #session(thread: ThreadHandle): SessionLink {
    return new SessionLink({ ...this.#config, niceIncrement: thread.niceIncrement }, thread.id);
  }

  #replenish(): void {
    if (this.#closing || this.#reloading || this.#standby) return;
    const link = new SessionLink(this.#config, 0);
    this.#standby = link;
    // Why it failed to load, if it did: its end then only says it was terminated.
    let failure: unknown;
    link.up.then(
      () => {
        if (this.#standby !== link) return;
        this.#standbyReady = true;
        this.#delays.delete('standby');
      },
      (error: unknown) => (failure = error),
    );
    void link.ended.then(({ error: ended }) => {
      const error = failure ?? ended;
      if (this.#standby !== link) return;
      // The standby died before it was needed: the app's top level failed, or the thread did.
      this.#standby = undefined;
      this.#standbyReady = false;
      if (this.#closing) return;
      const delay = this.#nextDelay('standby');
      this.#config.logger.error(`[switchyard] the pool's standby thread ended: ${String((error as Error)?.message ?? error)}; retrying in ${delay} ms`);
      setTimeout(() => this.#replenish(), delay).unref();
    });
  }

  #nextDelay(key: ThreadHandle | 'standby'): number {
    const delay = Math.min(MAX_RESTART_DELAY_MS, (this.#delays.get(key) ?? 500) * 2);
    this.#delays.set(key, delay);
    return delay;
  }
}
