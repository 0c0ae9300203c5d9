import { Agent, type ClientRequest } from 'node:http';
import type { Socket } from 'node:net';
import { get } from './helpers.js';

export interface LoadResult {
  ok: number;
  /** Failures by error code or status. */
  errors: Record<string, number>;
  /** The processes that answered. */
  pids: Set<string>;
  /** Requests the keep-alive clients sent, and the connections they opened for them. */
  keepAlive: { requests: number; connections: number };
}

/**
 * Bounded load: `keepAlive` clients that each reuse one connection and
 * `fresh` clients that open one per request, each sending requests one
 * after another (every tenth one slow, so drains find work in flight) until
 * stopped or `maxPerClient` is reached.
 */
export class Load {
  readonly result: LoadResult = { ok: 0, errors: {}, pids: new Set(), keepAlive: { requests: 0, connections: 0 } };
  readonly #sockets = new WeakSet<Socket>();
  #stopped = false;
  readonly #loops: Promise<void>[];
  readonly #agents: Agent[] = [];

  constructor(base: string, options: { keepAlive: number; fresh: number; maxPerClient: number }) {
    const clients: Array<Agent | false> = [];
    for (let i = 0; i < options.keepAlive; i++) {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      this.#agents.push(agent);
      clients.push(agent);
    }
    for (let i = 0; i < options.fresh; i++) clients.push(false);
    this.#loops = clients.map((agent) => this.#loop(base, agent, options.maxPerClient));
  }

  get total(): number {
    return this.result.ok + Object.values(this.result.errors).reduce((sum, n) => sum + n, 0);
  }

  /** Waits until at least `count` requests have completed in all. */
  async until(count: number, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.total < count) {
      if (Date.now() > deadline) throw new Error(`load reached only ${this.total} of ${count} requests`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Starts no new request; resolves when those in flight are done. */
  async stop(): Promise<LoadResult> {
    this.#stopped = true;
    await Promise.all(this.#loops);
    for (const agent of this.#agents) agent.destroy();
    return this.result;
  }

  async #loop(base: string, agent: Agent | false, max: number): Promise<void> {
    for (let i = 0; i < max && !this.#stopped; i++) {
      const sleep = i % 10 === 0 ? 100 : i % 3;
      try {
        const reply = await get(`${base}/pid?sleep=${sleep}`, agent, undefined, agent ? (req) => this.#countKeepAlive(req) : undefined);
        if (reply.status === 200 && /^\d+$/.test(reply.body)) {
          this.result.ok++;
          this.result.pids.add(reply.body);
        } else this.#count(`status ${reply.status}`);
      } catch (error) {
        this.#count((error as NodeJS.ErrnoException).code ?? (error as Error).message);
      }
    }
  }

  #countKeepAlive(req: ClientRequest): void {
    this.result.keepAlive.requests++;
    req.once('socket', (socket) => {
      if (this.#sockets.has(socket)) return;
      this.#sockets.add(socket);
      this.result.keepAlive.connections++;
    });
  }

  #count(key: string): void {
    this.result.errors[key] = (this.result.errors[key] ?? 0) + 1;
  }
}
