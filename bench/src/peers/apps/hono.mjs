/**
 * A Hono app, unchanged whichever server runs it (`export default app`):
 * the shared routes, plus an API with a few routes behind two middleware
 * (a bearer token check, and a header added after the handler).
 */
import { Hono } from 'hono';
import { API_TOKEN, API_VERSION, chunkStream, GLOBAL, HELLO, holdStream, JSON_TYPE, newPost, TEXT, USERS } from './shared.mjs';

const api = new Hono();
api.use('*', async (c, next) => {
  if (c.req.header('authorization') !== API_TOKEN) return c.json({ error: 'unauthorized' }, 401);
  await next();
});
api.use('*', async (c, next) => {
  await next();
  c.header('x-api-version', API_VERSION);
});
api.get('/users', (c) => c.json(USERS));
api.get('/users/:id', (c) => {
  const user = USERS.find((u) => u.id === c.req.param('id'));
  return user ? c.json(user) : c.json({ error: 'no such user' }, 404);
});
api.post('/users/:id/posts', async (c) => c.json(newPost(c.req.param('id'), await c.req.json()), 201));
api.delete('/users/:id', (c) => c.body(null, 204));

const app = new Hono();
app.get('/hello', (c) => c.text(HELLO));
app.post('/echo', async (c) => c.json(await c.req.json()));
app.get('/stream', (c) => c.body(chunkStream(), 200, { 'content-type': TEXT }));
app.get('/hold', (c) => c.body(holdStream(), 200, { 'content-type': TEXT }));
app.post('/upload', async (c) => c.json({ bytes: (await c.req.arrayBuffer()).byteLength }));
app.get('/global', () => new Response(JSON.stringify(GLOBAL), { headers: { 'content-type': JSON_TYPE } }));
app.route('/api', api);

export default app;
