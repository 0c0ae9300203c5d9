import { randomUUID } from 'node:crypto';
import { FastResponse } from '@switchyard/core';
import { CHAT_CHANNEL, parseChatPost, type ChatMessage } from '../chat/message.js';
import { chatEvents, openChatStreams } from '../chat/events.js';
import type { Route } from '../route.js';

export const chat: Route = {
  path: '/chat',
  methods: ['GET', 'POST'],
  example: '/chat',
  summary: 'POST {"name","text"} to publish on ctx.channel: every open /chat/events stream, in any process or thread, gets it.',
  async handle(request, ctx) {
    // GET (or HEAD): how many streams this context holds.
    if (request.method !== 'POST') return FastResponse.json({ openStreams: openChatStreams(), workerId: ctx.workerId });
    const { name, text } = parseChatPost(await request.text());
    const message: ChatMessage = { id: randomUUID(), name, text, at: Date.now(), workerId: ctx.workerId };
    ctx.channel<ChatMessage>(CHAT_CHANNEL).publish(message);
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
