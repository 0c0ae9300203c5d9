/**
 * Connections as the kernel hands them over: bare TCP handles, with no
 * `net.Socket` around them. The primary only passes each one on, so a
 * socket object there is pure weight, and it is held until the process
 * acknowledges, and in a burst thousands wait (balancer.ts). With 10,000
 * connections opened in bursts of 500 (Node 20), the primary grew by 57
 * MiB holding sockets, 40 MiB holding bare handles (node:cluster's, which
 * passes bare handles too, by 17). This takes them the way node:cluster's
 * round robin does, from the listening handle's `onconnection`, and a
 * process wraps its own socket around what arrives.
 */
import { type Server, Socket } from 'node:net';
import { getSystemErrorName } from 'node:util';

/** An accepted connection's native handle (Node's `TCP` wrap): what `child.send()` carries as is. */
export interface AcceptedHandle {
  close(): void;
  setNoDelay(enable: boolean): number;
}

interface ListeningHandle {
  onconnection: (status: number, handle: AcceptedHandle | undefined) => void;
}

/**
 * Routes each connection `server` accepts to `onHandle` as a bare handle
 * instead of a socket; call once `server` listens. `server`'s
 * 'connection' event no longer fires; accept errors go to `onError`.
 */
export function acceptBare(server: Server, onHandle: (handle: AcceptedHandle) => void, onError: (error: Error) => void): void {
  const listening = (server as unknown as { _handle?: Partial<ListeningHandle> | null })._handle;
  if (typeof listening?.onconnection !== 'function') throw new Error('@switchyard/cluster: this Node has no listening handle to take connections from');
  listening.onconnection = (status, handle) => {
    if (status < 0 || handle === undefined) {
      const code = status < 0 ? getSystemErrorName(status) : 'EUNKNOWN';
      onError(Object.assign(new Error(`accept ${code}`), { code, errno: status, syscall: 'accept' }));
      return;
    }
    // A socket option, so it holds in whichever process ends up writing.
    handle.setNoDelay(true);
    onHandle(handle);
  };
}

/** A socket over a handle accepted bare, reading: in the process that serves it, or the primary answering 503 itself. */
export function socketOver(handle: AcceptedHandle): Socket {
  return new Socket({ handle, readable: true, writable: true } as ConstructorParameters<typeof Socket>[0]);
}
