/**
 * The life of the pool's threads: starts threads 1..N (and N+1, the express
 * lane, when `pool.expressLane` is on), keeps one standby
 * session warm (thread started, app imported, no `setup` yet) so that a lost
 * thread is replaced in about a millisecond instead of the tens it takes to
 * boot a thread, and samples each thread's event loop so that a stuck one
 * can be told from a slow one.
 */
import { performance } from 'node:perf_hooks';
import type { Logger } from '@switchyard/core';
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
    if (this.#closing || this.#standby) return;
    const link = new SessionLink(this.#config, 0);
    this.#standby = link;
    link.up.then(
      () => {
        if (this.#standby !== link) return;
        this.#standbyReady = true;
        this.#delays.delete('standby');
      },
      () => {},
    );
    void link.ended.then(({ error }) => {
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
