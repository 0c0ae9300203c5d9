import type { AppContext } from '@switchyard/core';
import { eventStream } from '../sse.js';
import { CHAT_CHANNEL, type ChatMessage } from './message.js';

/** A client this far behind is not reading: end its stream (the browser reconnects) rather than drop messages silently. */
const MAX_BEHIND_BYTES = 1024 * 1024;

/** Streams open in this context, for `GET /chat`. */
let openStreams = 0;
export const openChatStreams = () => openStreams;

/**
 * A server-sent-event stream of the chat: `ready` first, then one `message`
 * per post from any context. It unsubscribes when the client leaves.
 */
export function chatEvents(ctx: AppContext): Response {
  return eventStream(
    ctx.signal,
    (sink) => {
      openStreams++;
      sink.send('ready', { workerId: ctx.workerId });
      const unsubscribe = ctx.channel<ChatMessage>(CHAT_CHANNEL).subscribe((message) => {
        if (!sink.send('message', message)) sink.end();
      });
      return () => {
        openStreams--;
        unsubscribe();
      };
    },
    { maxBehindBytes: MAX_BEHIND_BYTES },
  );
}
