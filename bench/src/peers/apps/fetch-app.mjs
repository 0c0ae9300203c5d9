/**
 * The plain Fetch app, no framework: `{ fetch }` over the shared routes,
 * built with whichever Response class the app imports (the global one,
 * core's FastResponse, srvx's FastResponse). `/global` always answers with
 * the global Response, whatever the app otherwise uses.
 */
import { chunkStream, GLOBAL, HELLO, holdStream, JSON_TYPE, pathOf, TEXT } from './shared.mjs';

const json = { 'content-type': JSON_TYPE };
const text = { 'content-type': TEXT };

export function fetchApp(Response) {
  return {
    async fetch(request) {
      switch (pathOf(request.url)) {
        case '/hello':
          return new Response(HELLO, { headers: text });
        case '/echo':
          return new Response(JSON.stringify(await request.json()), { headers: json });
        case '/stream':
          return new Response(chunkStream(), { headers: text });
        case '/upload':
          return new Response(JSON.stringify({ bytes: (await request.arrayBuffer()).byteLength }), { headers: json });
        case '/hold':
          return new Response(holdStream(), { headers: text });
        case '/global':
          return new globalThis.Response(JSON.stringify(GLOBAL), { headers: json });
        default:
          return new Response('not found', { status: 404 });
      }
    },
  };
}
