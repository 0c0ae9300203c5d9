import { shutdownSignal } from './shutdown.js';

const encoder = new TextEncoder();

/** Writes to one event stream. */
export interface EventSink {
  /** Sends one event; returns false, and sends nothing, when the client is more than `maxBehindBytes` behind. */
  send(event: string, data: unknown): boolean;
  /** Ends the stream; the cleanup runs. */
  end(): void;
}

export interface EventStreamOptions {
  /** A comment line this often keeps proxies and browsers from closing a quiet stream. Default 15000. */
  keepAliveMs?: number;
  /** How far (bytes) the client may fall behind before `send` refuses. Default 64 KiB. */
  maxBehindBytes?: number;
}

/**
 * A `text/event-stream` response. `open` starts the source and returns its
 * cleanup, which runs once: when the client leaves (`signal` aborts or the
 * backend cancels the body), when the server begins to close, or on `end()`.
 */
export function eventStream(
  signal: AbortSignal,
  open: (sink: EventSink) => () => void,
  { keepAliveMs = 15_000, maxBehindBytes = 64 * 1024 }: EventStreamOptions = {},
): Response {
  const shutdown = shutdownSignal();
  let cleanup: (() => void) | undefined;
  let live = true;
  let timer: NodeJS.Timeout | undefined;
  let close = () => {};
  const stop = () => {
    live = false;
    signal.removeEventListener('abort', onEnd);
    shutdown?.removeEventListener('abort', onEnd);
    clearInterval(timer);
    const done = cleanup;
    cleanup = undefined;
    done?.();
  };
  const onEnd = () => {
    stop();
    close();
  };
  const body = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        close = () => {
          try {
            controller.close();
          } catch {
            // Cancelled already.
          }
        };
        const sink: EventSink = {
          send(event, data) {
            // A client that reads slower than we write is refused, never queued for without limit.
            if (!live || (controller.desiredSize ?? 0) < -maxBehindBytes) return false;
            controller.enqueue(encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`));
            return true;
          },
          end: onEnd,
        };
        cleanup = open(sink);
        // `open` may have ended the stream itself.
        if (!live) return cleanup();
        timer = setInterval(() => controller.enqueue(encoder.encode(': keep-alive\n\n')), keepAliveMs).unref();
        if (signal.aborted || shutdown?.aborted) return onEnd();
        signal.addEventListener('abort', onEnd, { once: true });
        shutdown?.addEventListener('abort', onEnd, { once: true });
      },
      cancel: stop,
    },
    // Counted in bytes, and nothing held back: desiredSize is minus the bytes the client has not taken.
    { highWaterMark: 0, size: (chunk) => chunk.byteLength },
  );
  return new Response(body, {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      // A fronting nginx would otherwise buffer the stream.
      'x-accel-buffering': 'no',
    },
  });
}
