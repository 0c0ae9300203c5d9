import { randomUUID } from 'node:crypto';
import { HttpError } from '../http-error.js';

/** The channel every context's chat event streams (SSE) listen on. */
export const CHAT_CHANNEL = 'demo:chat';

/** The WebSocket topic every chat WebSocket subscribes to. */
export const CHAT_TOPIC = 'demo:chat';

/** One chat message, as published on the channel and sent to every stream. */
export interface ChatMessage {
  id: string;
  name: string;
  text: string;
  /** When it was posted, in ms since the epoch. */
  at: number;
  /** The thread or process that took the POST. */
  workerId: number;
}

const MAX_NAME = 40;
const MAX_TEXT = 500;
/** The largest POST body, and the largest WebSocket message (a larger one closes the socket with 1009). */
export const MAX_BODY = 4096;
const SHAPE = 'a JSON body {"name"?: string, "text": string}';

/** Characters as a person counts them: an emoji is one, not two UTF-16 units. */
const length = (value: string) => [...value].length;

/**
 * Checks a chat post (a POST /chat body, or a message on a chat WebSocket,
 * which `via` names); a 400 says what is wrong and what is expected.
 */
export function parseChatPost(body: string, via = 'POST /chat'): { name: string; text: string } {
  if (body.length > MAX_BODY) throw new HttpError(400, `${via} takes at most ${MAX_BODY} bytes: ${SHAPE}`);
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new HttpError(400, `${via} needs ${SHAPE}; the body is not JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new HttpError(400, `${via} needs ${SHAPE}`);
  const { name, text } = value as { name?: unknown; text?: unknown };
  if (typeof text !== 'string' || text.trim() === '' || length(text) > MAX_TEXT) {
    throw new HttpError(400, `"text" must be a string of 1 to ${MAX_TEXT} characters, not only spaces`);
  }
  if (name === undefined) return { name: 'anonymous', text };
  if (typeof name !== 'string' || length(name) > MAX_NAME) {
    throw new HttpError(400, `"name" must be a string of at most ${MAX_NAME} characters, or left out`);
  }
  return { name: name.trim() || 'anonymous', text };
}

/** A checked post as the message every client gets, stamped here. */
export function chatMessage({ name, text }: { name: string; text: string }, workerId: number): ChatMessage {
  return { id: randomUUID(), name, text, at: Date.now(), workerId };
}

/** What a chat WebSocket sends and receives from the server: the event stream's events, one JSON text frame each. */
export type ChatFrame = { event: 'ready'; data: { workerId: number } } | { event: 'message'; data: ChatMessage } | { event: 'error'; data: { error: string } };

export const chatFrame = (frame: ChatFrame): string => JSON.stringify(frame);
