/** The runner's side of the idle-connection client (idle-client.ts). */
import { fileURLToPath } from 'node:url';
import { spawnNode, stopChild, type NodeChild } from '../proc/spawn.js';
import type { RequestSpec } from '../types.js';

const ENTRY = fileURLToPath(new URL('./idle-client.js', import.meta.url));

export interface IdleCounts {
  tried: number;
  held: number;
  failed: number;
  pending: number;
}

export interface IdleClient {
  fdLimit: number | undefined;
  /** Opens connections until `target` have been tried; resolves once they are held, failed, or stalled. */
  openTo(target: number): Promise<IdleCounts>;
  status(): Promise<IdleCounts>;
  close(): Promise<void>;
}

export async function startIdleClient(url: string, request: RequestSpec, heldWhen: 'head' | 'connect', fdLimit: number): Promise<IdleClient> {
  const body = request.body === undefined ? undefined : Buffer.from(request.body).toString('utf8');
  const handle: NodeChild = await spawnNode(ENTRY, [JSON.stringify({ url, request: { ...request, body }, heldWhen })], { label: 'idle client', fdLimit });
  const ask = (message: Record<string, unknown>, answer: string) =>
    new Promise<IdleCounts>((resolve, reject) => {
      const onMessage = (reply: IdleCounts & { type?: string }) => {
        if (reply?.type !== answer) return;
        handle.child.off('message', onMessage);
        resolve({ tried: reply.tried, held: reply.held, failed: reply.failed, pending: reply.pending });
      };
      handle.child.on('message', onMessage);
      handle.child.send(message, (error) => error && reject(error));
      void handle.exited.then(() => reject(new Error('the idle client exited')));
    });
  return {
    fdLimit: typeof handle.ready.fdLimit === 'number' ? handle.ready.fdLimit : undefined,
    openTo: (target) => ask({ type: 'open', target }, 'opened'),
    status: () => ask({ type: 'status' }, 'status'),
    close: () => stopChild(handle, 3_000),
  };
}
