/**
 * What every peer's app answers, in one place: the apps build their
 * answers from these, and the scenarios their expectations, so a server
 * that answers differently fails its check instead of being timed.
 */

export const HELLO = 'Hello, World!';
export const TEXT = 'text/plain;charset=UTF-8';
export const JSON_TYPE = 'application/json';

/** The JSON echo's request body: 52 bytes. */
export const ECHO = { id: 7, name: 'switchyard', tags: ['bench', 'peer'] };

/** What the global-Response route answers. */
export const GLOBAL = { message: HELLO };

/** The streamed response: this many chunks of 1 KiB, each its own write. */
export const STREAM_CHUNKS = 16;
export const CHUNK = new Uint8Array(1024).map((_, i) => 97 + (i % 26));

/** The upload's size. */
export const UPLOAD_BYTES = 64 * 1024;

/** The Hono-style API: a bearer token the middleware requires, and the header it adds. */
export const API_TOKEN = 'Bearer peers';
export const API_VERSION = '1';
export const USERS = [
  { id: '1', name: 'Ada' },
  { id: '42', name: 'Grace' },
];

/** The API's POST answer: what each app does with the posted JSON. */
export function newPost(userId, body) {
  return { id: 1, user: userId, title: String(body.title), tags: Array.isArray(body.tags) ? body.tags : [] };
}

/** The streamed body, one chunk a pull, so it really streams. */
export function chunkStream() {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      controller.enqueue(CHUNK);
      if (++sent === STREAM_CHUNKS) controller.close();
    },
  });
}

/**
 * The held response of the idle scenario: its head and a first chunk go at
 * once (some servers send the head only with the first chunk), then nothing
 * for an hour, as an event stream or a long poll waits.
 */
export const HOLD_CHUNK = 'held\n';
export const HOLD_MS = 3_600_000;

/** The held body as a stream; cancelled when the client leaves, which clears its timer. */
export function holdStream() {
  let timer;
  return new ReadableStream({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(HOLD_CHUNK));
      timer = setTimeout(() => controller.close(), HOLD_MS);
    },
    cancel() {
      clearTimeout(timer);
    },
  });
}

/** The path of a request URL, without parsing the whole URL (every app pays the same). */
export function pathOf(url) {
  const start = url.indexOf('/', url.indexOf('//') + 2);
  const query = url.indexOf('?', start);
  return query < 0 ? url.slice(start) : url.slice(start, query);
}
