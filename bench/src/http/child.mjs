/**
 * Starts a contender's server in its own process and talks to it over IPC.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { pinnedCommand } from './pin.mjs';

const SERVER = fileURLToPath(new URL('./server.mjs', import.meta.url));

export async function startContender(name, { env = {}, startTimeoutMs = 20_000, pin = null } = {}) {
  const { command, args } = pinnedCommand(pin, process.execPath, [SERVER, name]);
  const child = spawn(command, args, {
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    env: { ...process.env, ...env },
  });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));

  const lines = createInterface({ input: child.stdout });
  const ready = new Promise((resolve, reject) => {
    lines.once('line', (line) => {
      try {
        resolve(JSON.parse(line));
      } catch {
        reject(new Error(`${name}: expected a JSON line with the URL, got ${JSON.stringify(line)}`));
      }
    });
    exited.then(({ code, signal }) => reject(new Error(`${name}: server exited (${signal ?? code}) before listening`)));
  });
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${name}: no URL within ${startTimeoutMs} ms`)), startTimeoutMs);
  });
  let info;
  try {
    info = await Promise.race([ready, timeout]);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  } finally {
    clearTimeout(timer);
  }
  // Anything else the server prints goes to our stderr, so a stray log line is seen.
  lines.on('line', (line) => process.stderr.write(`[${name}] ${line}\n`));

  let nextId = 0;
  const pending = new Map();
  child.on('message', (message) => {
    const resolve = pending.get(message?.id);
    if (resolve) {
      pending.delete(message.id);
      resolve(message);
    }
  });

  return {
    name,
    url: info.url,
    pid: child.pid,
    /** CPU time (µs, user + system) and peak RSS of the server process so far. */
    usage() {
      const id = ++nextId;
      return new Promise((resolve, reject) => {
        pending.set(id, resolve);
        child.send({ type: 'usage', id }, (error) => error && reject(error));
      });
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.send({ type: 'close' }, () => {});
      const killer = setTimeout(() => child.kill('SIGKILL'), 3_000);
      await exited;
      clearTimeout(killer);
    },
    kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}
