/**
 * Messages to one port, sent once per event-loop turn. A postMessage costs
 * about 2 us (serialisation, a lock, waking the other loop), and under load
 * dozens of requests arrive in one turn: sent as one array they cost one
 * crossing. `setImmediate` runs right after the current poll phase, so an
 * idle server adds no delay. Everything to a port goes through its outbox,
 * so messages keep their order (a request before its abort, a chunk before
 * the end).
 */
import type { MessagePort, Transferable } from 'node:worker_threads';

export class Outbox<T> {
  readonly #port: MessagePort;
  #messages: T[] = [];
  #transfer: Transferable[] = [];
  #scheduled = false;

  constructor(port: MessagePort) {
    this.#port = port;
  }

  push(message: T, transfer?: Transferable): void {
    this.#messages.push(message);
    if (transfer) this.#transfer.push(transfer);
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(this.flush);
    }
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
