/**
 * The log thread's writer: whole groups of lines to a file descriptor,
 * each group in one `write`, synchronously (this thread does nothing
 * else). Under Docker, systemd or a shell's `|`, stdout is a pipe, and
 * Node makes it non-blocking once the process uses `process.stdout`: a
 * write to a full pipe fails with EAGAIN. pino's destination then sleeps
 * 100 ms before it tries again, which caps a pipe at a few MB/s (about
 * 2 MB/s measured, 10,000 access lines a second): lines trailed seconds
 * behind, the serving thread's hand-over buffer grew, and a shutdown
 * waited for the backlog. This waits 1 ms at first, doubling while the
 * pipe stays full, up to 32 ms, so a reader that keeps up is never kept
 * waiting long and one that has stalled costs few wake-ups.
 */
import { writeSync } from 'node:fs';

const STDERR = 2;

const FIRST_WAIT_MS = 1;
const LONGEST_WAIT_MS = 32;

export interface StdoutWriterOptions {
  /** Bytes gathered before a write, unless `flushEveryMs` passes first. */
  minLength: number;
  /** The most bytes one write carries (PIPE_BUF keeps a pipe write whole among other writers). */
  maxWrite: number;
  flushEveryMs: number;
}

export class StdoutWriter {
  readonly #fd: number;
  readonly #options: StdoutWriterOptions;
  readonly #pause = new Int32Array(new SharedArrayBuffer(4));
  #groups: string[] = [];
  #bytes = 0;
  /** Set once a write fails for good (the reader has gone): what follows is dropped. */
  #failed = false;
  readonly #timer: NodeJS.Timeout;

  constructor(fd: number, options: StdoutWriterOptions) {
    this.#fd = fd;
    this.#options = options;
    this.#timer = setInterval(() => this.flush(), options.flushEveryMs);
    this.#timer.unref();
  }

  /** `group`: whole lines, at most `maxWrite` bytes unless it is one longer line. Groups are joined, never split: a group within `maxWrite` goes out in one write. */
  write(group: string): void {
    if (this.#failed) return;
    const size = Buffer.byteLength(group);
    if (this.#bytes + size > this.#options.maxWrite) this.flush();
    this.#groups.push(group);
    this.#bytes += size;
    if (this.#bytes >= this.#options.minLength) this.flush();
  }

  flush(): void {
    if (this.#bytes === 0) return;
    const data = Buffer.from(this.#groups.length === 1 ? this.#groups[0]! : this.#groups.join(''));
    this.#groups = [];
    this.#bytes = 0;
    this.#writeAll(data);
  }

  end(): void {
    this.flush();
    clearInterval(this.#timer);
  }

  #writeAll(data: Buffer): void {
    let written = 0;
    let wait = FIRST_WAIT_MS;
    while (written < data.length) {
      try {
        written += writeSync(this.#fd, data, written, data.length - written);
        wait = FIRST_WAIT_MS;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') {
          Atomics.wait(this.#pause, 0, 0, wait);
          wait = Math.min(wait * 2, LONGEST_WAIT_MS);
        } else if (code !== 'EINTR') {
          this.#failed = true;
          // Straight to fd 2: a worker's process.stderr goes through the main thread, which may be exiting.
          writeSync(STDERR, `[switchyard] access log: writing to stdout failed (${code ?? String(error)}); log lines are dropped from now on\n`);
          return;
        }
      }
    }
  }
}
