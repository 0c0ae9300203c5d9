/**
 * What a pool thread tells the main thread without a message: two numbers
 * in shared memory that the thread writes and the main thread reads at no
 * messaging cost.
 *
 * - `started`: the `seq` of the last request the thread started. Requests
 *   arrive and start in order, so the main thread knows which of those it
 *   sent are still waiting in the port (and, when the thread dies, which
 *   never ran).
 * - `beat`: when the thread's event loop last showed it was free to move:
 *   as it starts a request, finishes one, ends a turn, and every millisecond
 *   from a timer while it holds requests that wait on I/O. Written on the
 *   main thread's clock. A beat older than a millisecond or two therefore
 *   means one piece of synchronous work (JavaScript or native) holds the
 *   loop, whatever the handler is, and since when.
 */
export class SessionProgress {
  readonly buffer: SharedArrayBuffer;
  readonly #started: Int32Array;
  readonly #beat: Float64Array;

  constructor(buffer = new SharedArrayBuffer(16)) {
    this.buffer = buffer;
    this.#started = new Int32Array(buffer, 0, 1);
    this.#beat = new Float64Array(buffer, 8, 1);
  }

  get started(): number {
    return Atomics.load(this.#started, 0);
  }

  /** The thread starts the request sent as `seq`. */
  start(seq: number): void {
    Atomics.store(this.#started, 0, seq);
  }

  get beat(): number {
    return this.#beat[0]!;
  }

  /** The thread's loop moved at `at` (main thread's clock). An aligned 8-byte store is not torn on the platforms Node runs on. */
  setBeat(at: number): void {
    this.#beat[0] = at;
  }
}
