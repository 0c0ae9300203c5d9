// What runs on a piscina thread: hello and the JSON echo.
import { HELLO, JSON_TYPE, TEXT } from '../apps/shared.mjs';

export default function answer({ method, url, body }) {
  if (method === 'GET' && url === '/hello') return { status: 200, type: TEXT, body: HELLO };
  if (method === 'POST' && url === '/echo') return { status: 200, type: JSON_TYPE, body: JSON.stringify(JSON.parse(body)) };
  return { status: 404, type: TEXT, body: 'not found' };
}
