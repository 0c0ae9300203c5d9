/**
 * Messages to one port, sent once per event-loop turn. A postMessage costs
 * about 2 us (serialisation, a lock, waking the other loop), and under load
 * dozens of requests arrive in one turn: sent as one array they cost one
 * crossing. `setImmediate` runs right after the current poll phase, so an
 * idle server adds no delay. Everything to a port goes through its outbox,
 * so messages keep their order (a request before its abort, a chunk before
 * the end).
 */
import { performance } from 'node:perf_hooks';
import type { MessagePort, Transferable } from 'node:worker_threads';

export class Outbox<T> {
  readonly #port: MessagePort;
  #messages: T[] = [];
  #transfer: Transferable[] = [];
  #scheduled = false;
  /** When the oldest message waiting was pushed. */
  #since = 0;

  constructor(port: MessagePort) {
    this.#port = port;
  }

  push(message: T, transfer?: Transferable): void {
    if (this.#messages.length === 0) this.#since = performance.now();
    this.#messages.push(message);
    if (transfer) this.#transfer.push(transfer);
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(this.flush);
    }
  }

  /**
   * Sends now if the oldest message has waited `ms` or more. A port keeps
   * delivering messages that arrive while it is being drained, so a thread
   * fed steadily with synchronous requests may not reach `setImmediate` for
   * a long time: answers must not wait for that.
   */
  flushIfOlderThan(ms: number): void {
    if (this.#messages.length > 0 && performance.now() - this.#since >= ms) this.flush();
  }

  readonly flush = (): void => {
    this.#scheduled = false;
    const messages = this.#messages;
    if (messages.length === 0) return;
    const transfer = this.#transfer;
    this.#messages = [];
    this.#transfer = [];
    // A closed port (its thread is gone) drops the batch; that loss is handled where the thread's exit is.
    this.#port.postMessage(messages, transfer);
  };
}
