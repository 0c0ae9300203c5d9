/**
 * One channel message on the Redis channel: the publishing instance's id
 * (16 bytes), the channel name's length (4 bytes) and name (UTF-8), then the
 * message's bytes. All of an app's channels share one Redis channel, so each
 * instance holds one subscription, and a publisher's messages keep their
 * order across channel names.
 */
const ID_BYTES = 16;

export function encodeFrame(instance: Uint8Array, name: string, data: Uint8Array): Buffer {
  const nameBytes = Buffer.from(name, 'utf8');
  const frame = Buffer.allocUnsafe(ID_BYTES + 4 + nameBytes.length + data.byteLength);
  frame.set(instance, 0);
  frame.writeUInt32BE(nameBytes.length, ID_BYTES);
  frame.set(nameBytes, ID_BYTES + 4);
  frame.set(data, ID_BYTES + 4 + nameBytes.length);
  return frame;
}

/** The frame's parts, or undefined for bytes that are not a frame (another publisher on the same Redis channel). */
export function decodeFrame(frame: Buffer): { instance: Buffer; name: string; data: Buffer } | undefined {
  if (frame.length < ID_BYTES + 4) return undefined;
  const nameLength = frame.readUInt32BE(ID_BYTES);
  if (frame.length < ID_BYTES + 4 + nameLength) return undefined;
  return {
    instance: frame.subarray(0, ID_BYTES),
    name: frame.toString('utf8', ID_BYTES + 4, ID_BYTES + 4 + nameLength),
    data: frame.subarray(ID_BYTES + 4 + nameLength),
  };
}

export const INSTANCE_ID_BYTES = ID_BYTES;
