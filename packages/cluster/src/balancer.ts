/**
 * The primary's listening socket, and who gets each connection. The primary
 * accepts, reading nothing, and hands the connection's bare handle
 * (accepted.ts) to a ready process over IPC, keeping it open until the
 * process acknowledges it.
 * node:cluster's round robin does the same, but a connection handed to a
 * process that never acknowledges it (stuck in a loop, then killed) stays
 * open in the primary forever, and its listener closes once the last
 * process leaves, resetting queued connections. Here a socket that a dead
 * process never took goes to another one, a process that is starting,
 * draining or missing heartbeats gets none, and the listener lives exactly
 * as long as the server.
 */
import { createServer, type AddressInfo, type Server } from 'node:net';
import { listenFailed, portInUse } from '@switchyard/core';
import { Fifo } from '@switchyard/core/node';
import { type AcceptedHandle, acceptBare, socketOver } from './accepted.js';
import type { ProcessHandle } from './process-handle.js';

/** What a client gets when no process can take its connection. */
const UNAVAILABLE =
  'HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 20\r\nRetry-After: 1\r\nConnection: close\r\n\r\nService Unavailable\n';

export interface BalancerOptions {
  /** Connections held while no process is ready (all restarting); beyond: 503. */
  maxQueue: number;
  /** A process whose last heartbeat is older than this is passed over while others are fresh. */
  staleAfterMs: number;
  /** Accepting failed (out of file descriptors, say): the listener stays up, so report and go on. */
  onError: (error: Error) => void;
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}

export class Balancer {
  readonly #server: Server;
  readonly #options: BalancerOptions;
  readonly #targets: ProcessHandle[] = [];
  /**
   * Connections accepted and not yet handed to a process. Each process is
   * handed one at a time, the next once it acknowledges the last, as
   * node:cluster's round robin does: a burst waits here as bare handles,
   * where handing each over at once queued it in Node's IPC channel with
   * its message and callbacks (10,000 connections in bursts of 500: the
   * primary grew by 40 MiB that way, by 14 MiB this way).
   */
  readonly #waiting = new Fifo<AcceptedHandle>();
  #next = 0;
  #seq = 0;
  #rejected = 0;
  #closed: Promise<void> | undefined;

  constructor(options: BalancerOptions) {
    this.#options = options;
    this.#server = createServer();
  }

  /** Listens, turning address errors into errors that say what to change. */
  listen(port: number, host: string): Promise<{ port: number; url: string }> {
    return new Promise((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException) => {
        reject(error.code === 'EADDRINUSE' ? portInUse(host, port, error) : listenFailed(host, port, error));
      };
      this.#server.once('error', onError);
      this.#server.listen(port, host, () => {
        this.#server.off('error', onError);
        this.#server.on('error', this.#options.onError);
        acceptBare(this.#server, (handle) => this.#route(handle), this.#options.onError);
        const actual = (this.#server.address() as AddressInfo).port;
        resolve({ port: actual, url: `http://${urlHost(host)}:${actual}` });
      });
    });
  }

  /** Connections waiting for a process, accepted or handed over and not yet acknowledged. */
  get queued(): number {
    let pending = this.#waiting.length;
    for (const target of this.#targets) pending += target.handoffs.size;
    return pending;
  }

  /** Connections answered 503 because no process could take them. */
  get rejected(): number {
    return this.#rejected;
  }

  /** Starts routing connections to a ready process. */
  add(target: ProcessHandle): void {
    if (this.#targets.includes(target)) return;
    this.#targets.push(target);
    this.#dispatch();
  }

  /** Stops routing to a process; what it was handed and has not taken moves on when it exits. */
  remove(target: ProcessHandle): void {
    const index = this.#targets.indexOf(target);
    if (index !== -1) this.#targets.splice(index, 1);
  }

  /** The process took the connection: close the primary's copy of its handle (the connection lives on in the process), and hand it the next. */
  acknowledged(target: ProcessHandle, id: number): void {
    const handle = target.handoffs.get(id);
    target.handoffs.delete(id);
    handle?.close();
    this.#dispatch();
  }

  /** A process is gone: connections it never took are still unread, so another process can serve them, first. */
  exited(target: ProcessHandle): void {
    this.remove(target);
    const orphans = [...target.handoffs.values()];
    target.handoffs.clear();
    // With no process left they are bounded (or refused) as any other; else they go first.
    if (this.#targets.length === 0) {
      for (const handle of orphans) this.#route(handle);
      return;
    }
    this.#waiting.unshift(orphans);
    this.#dispatch();
  }

  /**
   * Stops accepting. Waits one turn of the event loop first, so connections
   * the kernel completed before the close was asked for are accepted and
   * served rather than reset with the listening socket. What waits goes to
   * the processes at once, queued in their channels ahead of the drain
   * that follows, so they serve it before they stop.
   */
  stopAccepting(): Promise<void> {
    this.#closed ??= new Promise<void>((resolve) => {
      setImmediate(() => {
        // Not waiting for 'close': that also waits for the connections still on their way to a process.
        if (this.#server.listening) this.#server.close();
        this.#dispatch(true);
        resolve();
      });
    });
    return this.#closed;
  }

  /** Answers every connection still waiting with 503: nothing will serve it any more. */
  rejectWaiting(): void {
    for (const handle of this.#waiting.drain()) this.#reject(handle);
  }

  #route(handle: AcceptedHandle): void {
    // With no process ready (all starting or restarting), only so many wait.
    if (this.#targets.length === 0 && (this.#closed || this.#waiting.length >= this.#options.maxQueue)) return this.#reject(handle);
    this.#waiting.push(handle);
    this.#dispatch();
  }

  /** Hands waiting connections to processes that hold none unacknowledged; `all`: every one now, round robin once none is free. */
  #dispatch(all = false): void {
    while (this.#waiting.length > 0) {
      const target = this.#pick() ?? (all && this.#targets.length > 0 ? this.#targets[this.#next++ % this.#targets.length] : undefined);
      if (!target) return;
      this.#handOff(target, this.#waiting.shift()!);
    }
  }

  #handOff(target: ProcessHandle, handle: AcceptedHandle): void {
    const id = ++this.#seq;
    target.handoffs.set(id, handle);
    // A channel that fails to carry the connection is closing: pass the process over from now on.
    const failed = () => {
      this.remove(target);
      if (target.handoffs.delete(id)) this.#route(handle);
    };
    const sent = target.send({ type: 'conn', id }, handle, (error) => error && failed());
    if (!sent) failed();
  }

  /**
   * Round robin over the ready processes that hold no unacknowledged
   * connection, preferring one that has sent a heartbeat lately: a process
   * whose event loop is stuck stops acknowledging and stops beating, and so
   * stops getting connections long before the watchdog kills it. While a
   * process with a fresh heartbeat holds one, the connection waits for it
   * rather than go to a stale one; undefined then, or with none free.
   */
  #pick(): ProcessHandle | undefined {
    const count = this.#targets.length;
    const now = Date.now();
    let stale: ProcessHandle | undefined;
    let freshBusy = false;
    for (let i = 0; i < count; i++) {
      const index = (this.#next + i) % count;
      const target = this.#targets[index]!;
      const fresh = now - target.lastBeat <= this.#options.staleAfterMs;
      if (target.handoffs.size > 0) {
        freshBusy ||= fresh;
      } else if (fresh) {
        this.#next = (index + 1) % count;
        return target;
      } else {
        stale ??= target;
      }
    }
    if (freshBusy || stale === undefined) return undefined;
    this.#next = (this.#targets.indexOf(stale) + 1) % count;
    return stale;
  }

  #reject(handle: AcceptedHandle): void {
    this.#rejected++;
    const socket = socketOver(handle);
    // Read and drop the request so closing does not turn into a reset that hides the answer.
    socket.on('error', () => {});
    socket.resume();
    socket.end(UNAVAILABLE);
    socket.setTimeout(1_000, () => socket.destroy());
  }
}
