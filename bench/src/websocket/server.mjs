/**
 * One contender's server, in a child process of its own (started with the
 * open-file limit raised): `raw` is the ws reference
 * (raw.mjs); reactor, pool and cluster serve app.mjs through their
 * package's `serve()`, so a cluster's workers and a pool's threads are this
 * process's children and threads. Over IPC it says { type: 'ready', port }
 * and answers { type: 'heap' } with this thread's heap after a collection:
 * the main thread's, where a pool's sockets live and which the app's
 * contexts (asked over their channel by POST /memory) do not cover.
 */
import { fileURLToPath } from 'node:url';
import { collector } from './app.mjs';
import { rawServer } from './raw.mjs';

const APP = fileURLToPath(new URL('./app.mjs', import.meta.url));
const [backend, workers] = process.argv.slice(2);

let close;
let port;
if (backend === 'raw') {
  const raw = rawServer();
  await new Promise((resolve) => raw.server.listen(0, '127.0.0.1', resolve));
  port = raw.server.address().port;
  close = raw.close;
} else {
  const { serve } = await import(`@switchyard/${backend}`);
  const server = await serve({ app: APP, port: 0, host: '127.0.0.1', workers: Number(workers), logger: quietLogger() });
  port = server.port;
  close = () => server.close({ graceMs: 2_000 });
}

/** Errors still show; the per-request and start-up lines would only interleave with the bench's progress. */
function quietLogger() {
  const nothing = () => {};
  return { info: nothing, warn: (...args) => console.warn(...args), error: (...args) => console.error(...args), debug: nothing };
}

const gc = collector();
process.on('message', async (message) => {
  if (message?.type === 'heap') {
    gc();
    const { heapUsed, heapTotal } = process.memoryUsage();
    process.send({ type: 'heap', heapUsed, heapTotal });
  } else if (message?.type === 'close') {
    await close();
    process.exit(0);
  }
});
process.send({ type: 'ready', port });
