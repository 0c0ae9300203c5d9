// Streamed responses for the abort soak: pulled 64 KiB chunks (?chunks=N), or pushed from a timer (?timer=1) until cancelled.
const CHUNK = new Uint8Array(64 * 1024).fill(120);
const SMALL = new TextEncoder().encode('data: tick\n\n');
export default {
  fetch(request) {
    const url = new URL(request.url);
    if (url.searchParams.get('timer')) {
      let timer;
      return new Response(
        new ReadableStream({
          start(controller) {
            timer = setInterval(() => controller.enqueue(SMALL), 1);
          },
          cancel() {
            clearInterval(timer);
          },
        }),
        { headers: { 'content-type': 'text/event-stream' } },
      );
    }
    const chunks = Number(url.searchParams.get('chunks') ?? 160);
    let sent = 0;
    return new Response(
      new ReadableStream({
        pull(controller) {
          if (sent++ >= chunks) return controller.close();
          controller.enqueue(CHUNK);
        },
      }),
      { headers: { 'content-type': 'application/octet-stream' } },
    );
  },
};
