import { FastResponse } from '@switchyard/core';
import { chatEvents, openChatStreams } from '../chat/events.js';
import { chatMessage, parseChatPost } from '../chat/message.js';
import { openChatSockets, shareChatPost, upgradeToChat } from '../chat/sockets.js';
import { HttpError } from '../http-error.js';
import type { Route } from '../route.js';

export const chat: Route = {
  path: '/chat',
  methods: ['GET', 'POST'],
  example: '/chat',
  summary: 'POST {"name","text"}: every open /chat/events stream and /chat/ws WebSocket, in any process or thread, gets it once.',
  async handle(request, ctx) {
    // GET (or HEAD): how many streams and WebSockets this context holds.
    if (request.method !== 'POST') return FastResponse.json({ openStreams: openChatStreams(), openSockets: openChatSockets(), workerId: ctx.workerId });
    const message = chatMessage(parseChatPost(await request.text()), ctx.workerId);
    shareChatPost(ctx, message);
    return FastResponse.json({ ok: true, id: message.id }, { status: 202 });
  },
};

export const chatStream: Route = {
  path: '/chat/events',
  methods: ['GET'],
  example: '/chat/events',
  summary: 'A server-sent-event stream of the chat that stays open: cheap for an event loop, a held connection for any model.',
  handle: (_request, ctx) => chatEvents(ctx),
};

export const chatSocket: Route = {
  path: '/chat/ws',
  methods: ['GET'],
  example: '/chat/ws',
  summary: 'The chat over a WebSocket (ctx.upgrade): send {"name","text"} frames, get every message, from sockets and posts alike.',
  handle(request, ctx) {
    // Accepted: as in Bun, the handler answers nothing and the server sends the 101.
    if (upgradeToChat(request, ctx)) return undefined;
    throw new HttpError(426, 'GET /chat/ws takes a WebSocket handshake: new WebSocket("ws://<host>/chat/ws")', { upgrade: 'websocket' });
  },
};
