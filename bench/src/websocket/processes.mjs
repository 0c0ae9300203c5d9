/**
 * The bench's child processes: a contender's server (server.mjs) and the
 * client processes (client.mjs), each started with the open-file limit
 * raised to what it needs (up to the hard limit), and talked to over IPC.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const SERVER = fileURLToPath(new URL('./server.mjs', import.meta.url));
const CLIENT = fileURLToPath(new URL('./client.mjs', import.meta.url));
// `ulimit -n` only raises the soft limit up to the hard one; asking for more fails, so fall back to the hard limit.
const RAISE = 'ulimit -n "$1" 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null; shift; exec "$@"';

function spawnNode(file, args, fdLimit) {
  const child = spawn('/bin/sh', ['-c', RAISE, 'sh', String(fdLimit), process.execPath, file, ...args], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = once(child, 'exit').then(([code, signal]) => ({ code, signal }));
  return { child, exited };
}

/** Sends `message` and resolves with the first reply of type `answer` (a 'failed' reply, an exit or `timeoutMs` rejects). */
export function ask(handle, message, answer, timeoutMs = 120_000) {
  return new Promise((resolve, reject) => {
    let timer;
    const done = (fn, value) => {
      clearTimeout(timer);
      handle.child.off('message', onMessage);
      fn(value);
    };
    const onMessage = (reply) => {
      if (reply?.type === answer) done(resolve, reply);
      else if (reply?.type === 'failed') done(reject, new Error(reply.error));
    };
    handle.child.on('message', onMessage);
    timer = setTimeout(() => done(reject, new Error(`no "${answer}" after ${timeoutMs / 1000} s`)), timeoutMs);
    if (message) handle.child.send(message);
    handle.exited.then(({ code, signal }) => done(reject, new Error(`the process exited (${signal ?? code}) before "${answer}"`)));
  });
}

async function stop(handle, graceMs) {
  if (handle.child.exitCode !== null || handle.child.signalCode !== null) return;
  if (handle.child.connected) handle.child.send({ type: 'close' });
  const timer = setTimeout(() => handle.child.kill('SIGKILL'), graceMs);
  await handle.exited;
  clearTimeout(timer);
}

/** A contender's server; resolves once it listens, with its port and pid. */
export async function startServer(contender, workers, fdLimit) {
  const handle = spawnNode(SERVER, [contender, String(workers)], fdLimit);
  const { port } = await ask(handle, undefined, 'ready', 60_000);
  return { ...handle, port, pid: handle.child.pid, url: `http://127.0.0.1:${port}`, stop: () => stop(handle, 10_000) };
}

/** A client process; resolves once it runs. */
export async function startClient(fdLimit) {
  const handle = spawnNode(CLIENT, [], fdLimit);
  await ask(handle, undefined, 'ready', 30_000);
  return { ...handle, stop: () => stop(handle, 5_000) };
}
