/** One server-sent event: its type and its parsed JSON data. */
export interface ServerEvent {
  event: string;
  data: unknown;
}

/** An open event stream that a test reads event by event and then leaves. */
export interface EventStream {
  readonly contentType: string | null;
  /** The next event that is not a comment; rejects when the stream ends first. */
  next(): Promise<ServerEvent>;
  /** Leaves, as a browser tab closing would. */
  close(): void;
}

export async function openEventStream(url: string): Promise<EventStream> {
  const abort = new AbortController();
  const response = await fetch(url, { signal: abort.signal });
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  return {
    contentType: response.headers.get('content-type'),
    async next() {
      for (;;) {
        const end = buffer.indexOf('\n\n');
        if (end !== -1) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(frame)?.[1];
          const data = /^data: (.*)$/m.exec(frame)?.[1];
          if (event !== undefined && data !== undefined) return { event, data: JSON.parse(data) as unknown };
          continue;
        }
        const { value, done } = await reader.read();
        if (done) throw new Error(`the event stream ended; unread: ${JSON.stringify(buffer)}`);
        buffer += value;
      }
    },
    close() {
      abort.abort();
      reader.cancel().catch(() => {});
    },
  };
}
