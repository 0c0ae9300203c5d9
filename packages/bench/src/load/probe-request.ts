/** The probe's requests: one at a time through its agent, each abortable. */
import { Agent, request as httpRequest } from 'node:http';
import type { RequestSpec } from '../types.js';

export interface ProbeRequest {
  /** Resolves with the status once the whole answer arrived; rejects on a socket error or timeout. */
  done: Promise<number>;
  /** Gives the request up (its promise then rejects). */
  abort(): void;
}

export interface Sender {
  send(): ProbeRequest;
  /** Opens `count` keep-alive connections (one request each, not recorded), so that setting them up is not timed later. */
  warm(count: number): Promise<void>;
  close(): void;
}

/**
 * Sends `request` to `url` over keep-alive connections, at most `maxSockets`
 * at once (more wait in the agent). Free connections are taken oldest first,
 * so every warm one stays in use and none idles into the server's keep-alive
 * timeout.
 */
export function createSender(url: string, request: RequestSpec, timeoutMs: number, maxSockets: number): Sender {
  const agent = new Agent({ keepAlive: true, maxSockets, scheduling: 'fifo' });
  const body = request.body === undefined ? undefined : Buffer.from(request.body);
  const headers = { ...request.headers, ...(body && { 'content-length': String(body.byteLength) }) };
  return {
    send() {
      let abort = () => {};
      const done = new Promise<number>((resolve, reject) => {
        const req = httpRequest(`${url}${request.path}`, { agent, method: request.method ?? 'GET', headers, timeout: timeoutMs }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
          res.on('error', reject);
        });
        req.on('timeout', () => req.destroy(new Error('timed out')));
        req.on('error', reject);
        req.end(body);
        abort = () => req.destroy(new Error('abandoned'));
      });
      return { done, abort: () => abort() };
    },
    async warm(count) {
      await Promise.allSettled(Array.from({ length: Math.min(count, maxSockets) }, () => this.send().done));
    },
    close: () => agent.destroy(),
  };
}
