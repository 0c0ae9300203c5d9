/**
 * The primary's handle on one process (or thread, under @switchyard/threads):
 * its state, its last heartbeat, the connections handed to it and not yet
 * acknowledged, and request/reply over its channel.
 */
import type { AcceptedHandle } from './accepted.js';
import type { Child } from './child.js';
import type { ProcessFigures, ToPrimary, ToWorker } from './messages.js';
import type { ProcessState } from './stats.js';
import { decodeError } from './wire.js';

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Messages the handle does not deal with itself go to the supervisor. */
export type MessageSink = (handle: ProcessHandle, message: ToPrimary) => void;

export class ProcessHandle {
  readonly slot: number;
  readonly child: Child;
  readonly pid: number;
  /** `pid 123` or `thread 4`, for logs and metrics sources. */
  readonly label: string;
  readonly startedAt = Date.now();
  /** Requests after which this process is recycled; 0 for never. */
  readonly maxRequests: number;
  state: ProcessState = 'starting';
  /** When the process became ready; undefined while it never was. */
  readyAt: number | undefined;
  /** A SIGKILL was sent: the process is going, whatever it does now. */
  killed = false;
  /** The process listens for IPC: messages sent earlier would be lost. */
  hello = false;
  lastBeat = Date.now();
  requests = 0;
  rssBytes = 0;
  /** Why the process could not start, as it reported before exiting. */
  failure: Error | undefined;
  /** Connections handed over and not yet acknowledged, by handoff id. */
  readonly handoffs = new Map<number, AcceptedHandle>();
  /** Settles when the process is ready; rejects if it exits first. */
  readonly ready: Promise<void>;
  readonly exited: Promise<ExitInfo>;

  readonly #replies = new Map<number, (figures: ProcessFigures | undefined) => void>();
  #seq = 0;
  #killTimer: NodeJS.Timeout | undefined;

  constructor(slot: number, child: Child, maxRequests: number, sink: MessageSink) {
    this.slot = slot;
    this.child = child;
    this.pid = child.pid;
    this.label = child.label;
    this.maxRequests = maxRequests;
    let ready!: () => void;
    let notReady!: (error: Error) => void;
    this.ready = new Promise<void>((resolve, reject) => {
      ready = resolve;
      notReady = reject;
    });
    // Callers that never wait on readiness must not see an unhandled rejection.
    this.ready.catch(() => {});
    this.exited = new Promise<ExitInfo>((resolve) => {
      child.onExit((code: number | null, signal: NodeJS.Signals | null) => {
        const wasStarting = this.state === 'starting';
        this.state = 'exited';
        clearTimeout(this.#killTimer);
        for (const reply of this.#replies.values()) reply(undefined);
        this.#replies.clear();
        if (wasStarting) notReady(this.failure ?? new Error(`${this.label} exited (${describeExit({ code, signal })}) before it was ready`));
        resolve({ code, signal });
      });
    });
    child.onMessage((message: ToPrimary) => {
      switch (message.type) {
        case 'hello':
          this.hello = true;
          this.lastBeat = Date.now();
          break;
        case 'heartbeat':
          this.lastBeat = Date.now();
          this.requests = message.requests;
          this.rssBytes = message.rssBytes;
          break;
        case 'ready':
          this.readyAt ??= Date.now();
          if (this.state === 'starting') this.state = 'ready';
          ready();
          break;
        case 'failed':
          this.failure = decodeError(message.error);
          break;
        case 'stats':
          this.#replies.get(message.id)?.(message.figures);
          this.#replies.delete(message.id);
          break;
        case 'closed':
          this.requests = message.requests;
          break;
      }
      sink(this, message);
    });
  }

  get alive(): boolean {
    return this.state !== 'exited';
  }

  get uptimeMs(): number {
    return Date.now() - this.startedAt;
  }

  /**
   * Sends if the process can receive; false when the message could not go.
   * (`worker.send()`'s own false only means "queued": Node sends one handle
   * at a time and holds the rest until the process acknowledges it.)
   */
  send(message: ToWorker, connection?: AcceptedHandle, done?: (error: Error | null) => void): boolean {
    if (!this.hello || !this.alive || !this.child.connected) return false;
    try {
      this.child.send(message, connection, done);
      return true;
    } catch {
      return false;
    }
  }

  /** Asks for fresh figures; undefined when the process does not answer within `timeoutMs`. */
  requestStats(timeoutMs: number): Promise<ProcessFigures | undefined> {
    const id = ++this.#seq;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#replies.delete(id);
        resolve(undefined);
      }, timeoutMs);
      this.#replies.set(id, (figures) => {
        clearTimeout(timer);
        resolve(figures);
      });
      if (!this.send({ type: 'stats', id })) this.#replies.get(id)?.(undefined);
    });
  }

  /**
   * Asks the process to finish its in-flight requests within `graceMs` and
   * exit; kills it if it is still there `killAfterMs` later than that.
   * `restart`: another process takes its place (a reload, recycling).
   */
  drain(graceMs: number, killAfterMs: number, restart = false): Promise<ExitInfo> {
    if (this.alive && this.state !== 'draining') {
      this.state = 'draining';
      // Before its hello the process serves nothing and has no handler for the message.
      if (!this.send({ type: 'drain', graceMs, restart })) this.kill('SIGTERM');
      this.#killTimer = setTimeout(() => this.kill('SIGKILL'), graceMs + killAfterMs);
    }
    return this.exited;
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    if (!this.alive) return;
    if (signal === 'SIGKILL') this.killed = true;
    try {
      this.child.kill(signal);
    } catch {
      // Already gone: 'exit' follows.
    }
  }
}

export function describeExit({ code, signal }: ExitInfo): string {
  return signal ? `signal ${signal}` : `code ${code}`;
}
