/**
 * The sequential baseline: the app on the reactor, behind a gate that lets
 * one connection in at a time, like a server that calls accept(), serves
 * that socket to the end, and only then accepts the next. Connections that
 * arrive meanwhile wait in a queue of `backlog`; beyond it, a connection is
 * reset as soon as its request arrives: the client sees its request
 * dropped, as ab and browsers see a server that cannot take it. (Node always
 * accepts at once, so the kernel's own backlog never fills; the queue here
 * stands in for it. Resetting before the request would fail the client's
 * connect instead, which ab does not survive even with -r.)
 */
import type { Server as HttpServer } from 'node:http';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import type { ServeOptions, RunningServer } from '@switchyard/core';
import { backendFrom } from './backend.js';
import { logger, type ServerSpec, type StartedServer } from './spec.js';

type ReactorServe = (options: ServeOptions, context: { listen: (server: HttpServer) => Promise<{ port: number; url: string }> }) => Promise<RunningServer>;

export interface Gate {
  /** Sockets served so far, waiting now, and reset because the queue was full. */
  counts(): { served: number; waiting: number; reset: number; active: boolean };
  close(): Promise<void>;
}

/** Feeds `http` one connection at a time from a listener on 127.0.0.1 port 0. */
export function gate(http: HttpServer, { backlog, keepAlive }: ServerSpec['sequential']): Promise<{ port: number; url: string; gate: Gate }> {
  const waiting: Socket[] = [];
  let active: Socket | undefined;
  let served = 0;
  let reset = 0;

  // HTTP/1.0 style: one request per connection, so one client cannot hold the server.
  if (!keepAlive) http.prependListener('request', (_req, res) => (res.shouldKeepAlive = false));

  const serveNext = () => {
    const socket = waiting.shift();
    if (!socket) return;
    if (socket.destroyed) return serveNext();
    active = socket;
    served++;
    socket.once('close', () => {
      active = undefined;
      serveNext();
    });
    http.emit('connection', socket);
    socket.resume();
  };

  const drop = (socket: Socket) => {
    reset++;
    const cut = () => {
      if (!socket.destroyed) socket.resetAndDestroy();
    };
    socket.on('error', () => {});
    socket.once('data', cut);
    socket.setTimeout(1_000, cut);
    socket.resume();
  };

  const listener = createServer({ pauseOnConnect: true }, (socket) => {
    if (waiting.length >= backlog && active) return drop(socket);
    waiting.push(socket);
    if (!active) serveNext();
  });

  return new Promise((resolve, reject) => {
    listener.once('error', reject);
    listener.listen({ port: 0, host: '127.0.0.1', backlog: 511 }, () => {
      const { port } = listener.address() as AddressInfo;
      resolve({
        port,
        url: `http://127.0.0.1:${port}`,
        gate: {
          counts: () => ({ served, waiting: waiting.length, reset, active: active !== undefined }),
          close: () =>
            new Promise<void>((done) => {
              listener.close(() => done());
              for (const socket of waiting.splice(0)) socket.destroy();
              active?.destroy();
            }),
        },
      });
    });
  });
}

export async function startSequential(spec: ServerSpec): Promise<StartedServer> {
  const { serve } = await backendFrom('reactor', spec.resolveFrom);
  let opened: Gate | undefined;
  const server = await (serve as unknown as ReactorServe)(
    { app: spec.app!, port: 0, host: '127.0.0.1', signals: false, logger, ...(spec.serve?.limits && { limits: spec.serve.limits }) },
    {
      listen: async (http) => {
        const { port, url, gate: g } = await gate(http, spec.sequential);
        opened = g;
        return { port, url };
      },
    },
  );
  return {
    url: server.url,
    async close() {
      await Promise.all([opened?.close(), server.close({ graceMs: 100 })]);
    },
  };
}
