/**
 * The chat over WebSockets, beside the event streams (events.ts).
 *
 * One rule keeps every client at exactly one copy of each message: a message
 * goes out once on each of two fan-outs, from wherever it came in (a POST or
 * a socket), and each client listens to one of them only.
 *
 * - the channel `CHAT_CHANNEL` (`ctx.channel`): event streams (SSE) listen;
 * - the topic `CHAT_TOPIC` (`ctx.publish`, `ws.publish`): WebSockets listen.
 *
 * Both reach every thread and process, so no context relays anything: a
 * relay would send a message once per context. A socket's own message
 * comes back to it with `ws.send`, as `ws.publish` leaves the sender out.
 */
import type { AppContext, Channel, WebSocketHandler } from '@switchyard/core';
import { HttpError } from '../http-error.js';
import { CHAT_CHANNEL, CHAT_TOPIC, type ChatMessage, chatFrame, chatMessage, MAX_BODY, parseChatPost } from './message.js';

/** `ws.data` of a chat socket: set at the upgrade, it stays in the thread or process that took it. */
export interface ChatSocketData {
  workerId: number;
  channel: Channel<ChatMessage>;
}

const decoder = new TextDecoder();

/** WebSockets open in this context, for `GET /chat`. */
let openSockets = 0;
export const openChatSockets = () => openSockets;

/** Takes `request` as a chat WebSocket when it is a handshake; false otherwise. */
export function upgradeToChat(request: Request, ctx: AppContext): boolean {
  return ctx.upgrade<ChatSocketData>(request, { data: { workerId: ctx.workerId, channel: ctx.channel<ChatMessage>(CHAT_CHANNEL) } });
}

/** Sends a message posted over HTTP to every chat client: the streams through the channel, the sockets through the topic. */
export function shareChatPost(ctx: AppContext, message: ChatMessage): void {
  ctx.channel<ChatMessage>(CHAT_CHANNEL).publish(message);
  ctx.publish(CHAT_TOPIC, chatFrame({ event: 'message', data: message }));
}

/**
 * The app's `websocket` export. A socket says `ready` (with its worker) once
 * subscribed, then gets every message; it sends posts as `POST /chat` takes
 * them, and a bad one gets an `error` frame, not a closed socket.
 */
export const chatSockets: WebSocketHandler<ChatSocketData> = {
  maxPayloadLength: MAX_BODY,
  open(ws) {
    openSockets++;
    ws.subscribe(CHAT_TOPIC);
    ws.send(chatFrame({ event: 'ready', data: { workerId: ws.data.workerId } }));
  },
  message(ws, raw) {
    let message: ChatMessage;
    try {
      message = chatMessage(parseChatPost(typeof raw === 'string' ? raw : decoder.decode(raw), 'a chat WebSocket message'), ws.data.workerId);
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      ws.send(chatFrame({ event: 'error', data: { error: error.message } }));
      return;
    }
    ws.data.channel.publish(message);
    const frame = chatFrame({ event: 'message', data: message });
    ws.publish(CHAT_TOPIC, frame);
    ws.send(frame);
  },
  close() {
    openSockets--;
  },
};
