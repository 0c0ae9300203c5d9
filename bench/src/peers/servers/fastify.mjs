/**
 * fastify with its defaults: the same routes in its own idiom (plugins,
 * hooks, return values it serialises), the API behind an onRequest hook.
 */
import { Readable } from 'node:stream';
import Fastify from 'fastify';
import { API_TOKEN, API_VERSION, CHUNK, HELLO, HOLD_CHUNK, HOLD_MS, newPost, STREAM_CHUNKS, TEXT, UPLOAD_BYTES } from '../apps/shared.mjs';

function* chunks() {
  for (let i = 0; i < STREAM_CHUNKS; i++) yield Buffer.from(CHUNK);
}

/** The held body as a Node stream, fastify's idiom; destroyed when the client leaves, which clears its timer. */
function held() {
  const stream = new Readable({ read() {} });
  stream.push(HOLD_CHUNK);
  const timer = setTimeout(() => stream.push(null), HOLD_MS);
  stream.on('close', () => clearTimeout(timer));
  return stream;
}

export default async function start({ host, port }) {
  const app = Fastify();
  // fastify parses JSON and text by default; other bodies need a parser.
  app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer', bodyLimit: UPLOAD_BYTES * 2 }, (_req, body, done) => done(null, body));
  app.get('/hello', (_req, reply) => reply.type(TEXT).send(HELLO));
  app.post('/echo', (req) => req.body);
  app.get('/stream', (_req, reply) => reply.type(TEXT).send(Readable.from(chunks())));
  app.get('/hold', (_req, reply) => reply.type(TEXT).send(held()));
  app.post('/upload', (req) => ({ bytes: req.body.length }));
  app.register(
    async (api) => {
      api.addHook('onRequest', async (req, reply) => {
        if (req.headers.authorization !== API_TOKEN) return reply.code(401).send({ error: 'unauthorized' });
      });
      api.addHook('onSend', async (_req, reply) => void reply.header('x-api-version', API_VERSION));
      api.post('/users/:id/posts', (req, reply) => reply.code(201).send(newPost(req.params.id, req.body)));
    },
    { prefix: '/api' },
  );
  await app.listen({ host, port });
  return { url: `http://${host}:${app.server.address().port}`, close: () => app.close() };
}
