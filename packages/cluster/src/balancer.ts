/**
 * The primary's listening socket, and who gets each connection. The primary
 * accepts (paused, so it reads nothing) and hands the socket to a ready
 * process over IPC, keeping its own copy until the process acknowledges it.
 * node:cluster's round robin does the same, but a connection handed to a
 * process that never acknowledges it (stuck in a loop, then killed) stays
 * open in the primary forever, and its listener closes once the last
 * process leaves, resetting queued connections. Here a socket that a dead
 * process never took goes to another one, a process that is starting,
 * draining or missing heartbeats gets none, and the listener lives exactly
 * as long as the server.
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { listenFailed, portInUse } from '@switchyard/core';
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
  readonly #queue: Socket[] = [];
  #next = 0;
  #seq = 0;
  #rejected = 0;
  #closed: Promise<void> | undefined;

  constructor(options: BalancerOptions) {
    this.#options = options;
    // noDelay is a socket option, so it holds in whichever process ends up writing.
    this.#server = createServer({ pauseOnConnect: true, noDelay: true }, (socket) => this.#route(socket));
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
        const actual = (this.#server.address() as AddressInfo).port;
        resolve({ port: actual, url: `http://${urlHost(host)}:${actual}` });
      });
    });
  }

  /** Connections waiting for a process, accepted or handed over and not yet acknowledged. */
  get queued(): number {
    let pending = this.#queue.length;
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
    while (this.#queue.length > 0 && this.#targets.length > 0) this.#route(this.#queue.shift()!);
  }

  /** Stops routing to a process; what it was handed and has not taken moves on when it exits. */
  remove(target: ProcessHandle): void {
    const index = this.#targets.indexOf(target);
    if (index !== -1) this.#targets.splice(index, 1);
  }

  /** The process took the socket: drop the primary's copy (the connection lives on in the process). */
  acknowledged(target: ProcessHandle, id: number): void {
    const socket = target.handoffs.get(id);
    target.handoffs.delete(id);
    socket?.destroy();
  }

  /** A process is gone: sockets it never took are still unread, so another process can serve them. */
  exited(target: ProcessHandle): void {
    this.remove(target);
    const orphans = [...target.handoffs.values()];
    target.handoffs.clear();
    for (const socket of orphans) this.#route(socket);
  }

  /**
   * Stops accepting. Waits one turn of the event loop first, so connections
   * the kernel completed before the close was asked for are accepted and
   * served rather than reset with the listening socket.
   */
  stopAccepting(): Promise<void> {
    this.#closed ??= new Promise<void>((resolve) => {
      setImmediate(() => {
        // Not waiting for 'close': that also waits for the sockets still on their way to a process.
        if (this.#server.listening) this.#server.close();
        resolve();
      });
    });
    return this.#closed;
  }

  /** Answers every connection still waiting with 503: nothing will serve it any more. */
  rejectWaiting(): void {
    for (const socket of this.#queue.splice(0)) this.#reject(socket);
  }

  #route(socket: Socket): void {
    const target = this.#pick();
    if (!target) {
      if (this.#closed || this.#queue.length >= this.#options.maxQueue) this.#reject(socket);
      else this.#queue.push(socket);
      return;
    }
    const id = ++this.#seq;
    target.handoffs.set(id, socket);
    // A channel that fails to carry the socket is closing: pass the process over from now on.
    const failed = () => {
      this.remove(target);
      if (target.handoffs.delete(id)) this.#route(socket);
    };
    const sent = target.send({ type: 'conn', id }, socket, (error) => error && failed());
    if (!sent) failed();
  }

  /**
   * Round robin over the ready processes, preferring one that holds no
   * unacknowledged socket and has sent a heartbeat lately: a process whose
   * event loop is stuck stops acknowledging and stops beating, and so stops
   * getting connections long before the watchdog kills it.
   */
  #pick(): ProcessHandle | undefined {
    const count = this.#targets.length;
    if (count === 0) return undefined;
    const now = Date.now();
    let best: ProcessHandle | undefined;
    let bestScore = Infinity;
    let bestIndex = 0;
    for (let i = 0; i < count; i++) {
      const index = (this.#next + i) % count;
      const target = this.#targets[index]!;
      const stale = now - target.lastBeat > this.#options.staleAfterMs;
      const score = target.handoffs.size + (stale ? 1_000_000 : 0);
      if (score < bestScore) {
        best = target;
        bestScore = score;
        bestIndex = index;
        if (score === 0) break;
      }
    }
    this.#next = (bestIndex + 1) % count;
    return best;
  }

  #reject(socket: Socket): void {
    this.#rejected++;
    // Read and drop the request so closing does not turn into a reset that hides the answer.
    socket.on('error', () => {});
    socket.resume();
    socket.end(UNAVAILABLE);
    socket.setTimeout(1_000, () => socket.destroy());
  }
}
