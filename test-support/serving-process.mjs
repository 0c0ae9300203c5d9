// A server started as a process of its own (the CLI, a packed bin), for tests
// that need it as a user runs it: its URL read from its banner, its output kept.
import { spawn } from 'node:child_process';
import { once } from 'node:events';

/**
 * Spawns `command args` and resolves once a line of its stdout matches
 * `banner`, whose first group is the URL. Rejects with the output so far if
 * it exits first, and kills it after `killAfterMs` whatever happens.
 */
export async function startServing(command, args, { cwd, env, banner, killAfterMs = 30_000 }) {
  const child = spawn(command, args, { cwd, env });
  const killer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
  let output = '';
  const stop = async (signal = 'SIGTERM') => {
    clearTimeout(killer);
    if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
    child.kill(signal);
    const [code] = await once(child, 'exit');
    return code;
  };
  try {
    const url = await new Promise((resolve, reject) => {
      child.stdout.on('data', (chunk) => {
        output += chunk;
        const match = banner.exec(output);
        if (match) resolve(match[1]);
      });
      child.stderr.on('data', (chunk) => (output += chunk));
      child.on('error', reject);
      child.on('exit', (code) => reject(new Error(`${command} exited with ${code}:\n${output}`)));
    });
    return { child, url, output: () => output, stop };
  } catch (error) {
    await stop('SIGKILL');
    throw error;
  }
}
