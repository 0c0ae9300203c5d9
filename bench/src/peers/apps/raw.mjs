/**
 * The reference: the same routes written against node:http alone, with
 * Node's defaults and nothing in between. Every ratio divides by this.
 */
import { API_TOKEN, API_VERSION, CHUNK, GLOBAL, HELLO, HOLD_CHUNK, HOLD_MS, JSON_TYPE, newPost, STREAM_CHUNKS, TEXT } from './shared.mjs';

const CHUNK_BUFFER = Buffer.from(CHUNK);
const POSTS = /^\/api\/users\/([^/]+)\/posts$/;

function send(res, status, type, body, extra) {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), ...extra });
  res.end(body);
}

/** The body, whole. */
function read(req, done) {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => done(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
}

export default function handler(req, res) {
  const url = req.url;
  if (req.method === 'GET' && url === '/hello') return send(res, 200, TEXT, HELLO);
  if (req.method === 'POST' && url === '/echo') return read(req, (body) => send(res, 200, JSON_TYPE, JSON.stringify(JSON.parse(body))));
  if (req.method === 'GET' && url === '/global') return send(res, 200, JSON_TYPE, JSON.stringify(GLOBAL));
  if (req.method === 'POST' && url === '/upload') {
    let bytes = 0;
    req.on('data', (chunk) => (bytes += chunk.length));
    req.on('end', () => send(res, 200, JSON_TYPE, JSON.stringify({ bytes })));
    return;
  }
  if (req.method === 'GET' && url === '/stream') {
    res.writeHead(200, { 'content-type': TEXT });
    for (let i = 0; i < STREAM_CHUNKS; i++) res.write(CHUNK_BUFFER);
    res.end();
    return;
  }
  if (req.method === 'GET' && url === '/hold') {
    res.writeHead(200, { 'content-type': TEXT });
    res.write(HOLD_CHUNK);
    const timer = setTimeout(() => res.end(), HOLD_MS);
    res.on('close', () => clearTimeout(timer));
    return;
  }
  const posts = req.method === 'POST' && POSTS.exec(url);
  if (posts) {
    if (req.headers.authorization !== API_TOKEN) return send(res, 401, JSON_TYPE, '{"error":"unauthorized"}');
    return read(req, (body) => send(res, 201, JSON_TYPE, JSON.stringify(newPost(posts[1], JSON.parse(body))), { 'x-api-version': API_VERSION }));
  }
  send(res, 404, TEXT, 'not found');
}
