/**
 * One contender's server, run as its own child process:
 *   node server.mjs <contender>
 * Listens on 127.0.0.1 port 0 and prints one JSON line `{ "url": ... }` on
 * stdout. Over IPC it answers `usage` with its CPU time and peak RSS, and it
 * exits on `close`, on SIGTERM, or when the parent goes away.
 */
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { CONTENDERS } from './contenders.mjs';
import { handlers } from './raw-handlers.mjs';

const name = process.argv[2];
const contender = CONTENDERS[name];
if (!contender) {
  console.error(`server.mjs: unknown contender "${name}"; expected one of ${Object.keys(CONTENDERS).join(', ')}`);
  process.exit(2);
}

let close;
if (contender.kind === 'raw') {
  // BENCH_NATIVE_READ=arraybuffer makes raw-native read its body with arrayBuffer() instead of a stream reader.
  const variant = contender.handler === 'native' && process.env.BENCH_NATIVE_READ === 'arraybuffer' ? 'nativeArrayBuffer' : contender.handler;
  const handler = handlers[variant];
  // Node's defaults, as a plain app would have them.
  const server = createServer(handler);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  report(`http://127.0.0.1:${port}`);
  close = () =>
    new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
} else {
  const { serve } = await import('@switchyard/reactor');
  const app = fileURLToPath(new URL(`../apps/${contender.app}`, import.meta.url));
  const running = await serve({ app, port: 0, host: '127.0.0.1', signals: false });
  report(running.url);
  close = () => running.close({ graceMs: 100 });
}

function report(url) {
  process.stdout.write(`${JSON.stringify({ url, pid: process.pid, contender: name })}\n`);
}

let exiting = false;
async function exit() {
  if (exiting) return;
  exiting = true;
  await close();
  process.exit(0);
}

process.on('SIGTERM', exit);
process.on('disconnect', exit);
process.on('message', (message) => {
  if (message?.type === 'usage') {
    const cpu = process.cpuUsage();
    process.send({
      type: 'usage',
      id: message.id,
      cpuMicros: cpu.user + cpu.system,
      // resourceUsage().maxRSS is in KiB: the peak since the process started.
      maxRssBytes: process.resourceUsage().maxRSS * 1024,
      rssBytes: process.memoryUsage.rss(),
    });
  } else if (message?.type === 'close') {
    exit();
  }
});
