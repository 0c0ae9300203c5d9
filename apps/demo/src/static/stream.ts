import type { FileHandle } from 'node:fs/promises';
import type { ByteRange } from './range.js';

const CHUNK = 64 * 1024;

/**
 * Streams bytes `start..end` of an open file, read as the client takes them
 * (one chunk per pull), and closes the file when done, failed or cancelled.
 */
export function fileStream(handle: FileHandle, { start, end }: ByteRange): ReadableStream<Uint8Array> {
  let position = start;
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    handle.close().catch(() => {});
  };
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const length = Math.min(CHUNK, end + 1 - position);
        if (length <= 0) {
          close();
          controller.close();
          return;
        }
        try {
          const { bytesRead, buffer } = await handle.read(new Uint8Array(length), 0, length, position);
          // A file that shrank while being sent cannot meet its content-length: fail the response.
          if (bytesRead === 0) throw new Error('The file ended early: it changed while being sent');
          position += bytesRead;
          controller.enqueue(bytesRead === length ? buffer : buffer.subarray(0, bytesRead));
        } catch (error) {
          close();
          controller.error(error);
        }
      },
      cancel: close,
    },
    { highWaterMark: 0 },
  );
}
