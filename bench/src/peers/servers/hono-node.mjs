/** @hono/node-server with its defaults (it swaps in its own light Request and Response globals) serving the Hono app. */
import { createAdaptorServer } from '@hono/node-server';
import app from '../apps/hono.mjs';
import { listen } from './listen.mjs';

export default function start(options) {
  // createAdaptorServer is what serve() calls before it listens.
  return listen(createAdaptorServer({ fetch: app.fetch }), options);
}
