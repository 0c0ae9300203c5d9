import WebSocket from 'ws';

/**
 * What tests use of the `ws` client, named here so the published types do
 * not need @types/ws.
 */
export interface ClientSocket {
  readonly readyState: number;
  /** The extensions the server agreed to, e.g. `permessage-deflate`. */
  readonly extensions: string;
  send(data: string | Uint8Array, options?: { fin?: boolean; binary?: boolean }): void;
  close(code?: number, reason?: string): void;
  ping(data?: string | Uint8Array): void;
  /** Stops reading from the server, and starts again. */
  pause(): void;
  resume(): void;
  once(event: 'pong', listener: (data: Buffer) => void): unknown;
}

/** A `ws` client for tests: messages kept in arrival order, awaited with bounded waits. */
export class TestSocket {
  readonly ws: ClientSocket;
  readonly messages: Array<string | Buffer> = [];
  /** Resolves with the close code and reason the client saw. */
  readonly closed: Promise<{ code: number; reason: string }>;
  readonly opened: Promise<void>;
  /** Headers of the 101 response. */
  headers: Record<string, string | string[] | undefined> = {};
  pings = 0;
  #waiters: Array<() => void> = [];

  /** `options` are the `ws` client's. */
  constructor(url: string, options: Record<string, unknown> = {}) {
    const ws = new WebSocket(url, options);
    this.ws = ws;
    ws.on('upgrade', (res) => (this.headers = res.headers));
    ws.on('ping', () => this.pings++);
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      this.messages.push(isBinary ? data : data.toString());
      for (const wake of this.#waiters.splice(0)) wake();
    });
    ws.on('error', () => {});
    this.opened = new Promise((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`unexpected response ${res.statusCode}`), { status: res.statusCode })));
      ws.once('error', reject);
    });
    this.opened.catch(() => {});
    this.closed = new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  }

  /** The first message from index `from` on that `match` accepts, waiting up to `timeoutMs`. */
  async next(match: (message: string | Buffer) => boolean = () => true, timeoutMs = 5_000, from = 0): Promise<string | Buffer> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.slice(from).find(match);
      if (found !== undefined) return found;
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`timed out after ${timeoutMs} ms waiting for a message; got ${JSON.stringify(this.messages.map(String).map((m) => m.slice(0, 80)))}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** The next text message equal to `text`, or starting with it when it ends in `*`. */
  text(text: string, timeoutMs?: number): Promise<string> {
    const prefix = text.endsWith('*') ? text.slice(0, -1) : undefined;
    return this.next((m) => typeof m === 'string' && (prefix === undefined ? m === text : m.startsWith(prefix)), timeoutMs) as Promise<string>;
  }

  /** Sends `message` and waits for the reply that `match` accepts, among those that come after. */
  async ask(message: string, match: (reply: string | Buffer) => boolean, timeoutMs?: number): Promise<string | Buffer> {
    const from = this.messages.length;
    this.ws.send(message);
    return this.next(match, timeoutMs, from);
  }

  async close(): Promise<void> {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close();
    await this.closed;
  }
}

/** Opens a socket and waits for its `hello` (the worker that took it). */
export async function openSocket(base: string, path = '/ws', options?: Record<string, unknown>): Promise<{ socket: TestSocket; worker: number }> {
  const socket = new TestSocket(base.replace(/^http/, 'ws') + path, options);
  await socket.opened;
  const hello = JSON.parse(String(await socket.next((m) => typeof m === 'string' && m.startsWith('{"hello"')))) as { hello: number };
  return { socket, worker: hello.hello };
}
