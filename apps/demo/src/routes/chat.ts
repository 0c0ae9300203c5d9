import { randomUUID } from 'node:crypto';
import { FastResponse } from '@switchyard/core';
import { CHAT_CHANNEL, parseChatPost, type ChatMessage } from '../chat/message.js';
import { chatEvents, openChatStreams } from '../chat/events.js';
import { HttpError } from '../http-error.js';
import type { Route } from '../route.js';

export const chat: Route = {
  path: '/chat',
  example: '/chat',
  summary: 'POST {"name","text"} to publish on ctx.channel: every open /chat/events stream, in any process or thread, gets it.',
  async handle(request, ctx) {
    if (request.method === 'GET') return FastResponse.json({ openStreams: openChatStreams(), workerId: ctx.workerId });
    if (request.method !== 'POST') throw new HttpError(405, 'POST a JSON body {"name"?: string, "text": string} to /chat', { allow: 'GET, POST' });
    const { name, text } = parseChatPost(await request.text());
    const message: ChatMessage = { id: randomUUID(), name, text, at: Date.now(), workerId: ctx.workerId };
    ctx.channel<ChatMessage>(CHAT_CHANNEL).publish(message);
    return FastResponse.json({ ok: true, id: message.id }, { status: 202 });
  },
};

export const chatStream: Route = {
  path: '/chat/events',
  example: '/chat/events',
  summary: 'A server-sent-event stream of the chat that stays open: cheap for an event loop, a held connection for any model.',
  handle(request, ctx) {
    if (request.method !== 'GET') throw new HttpError(405, 'GET /chat/events to follow the chat', { allow: 'GET' });
    return chatEvents(ctx);
  },
};
