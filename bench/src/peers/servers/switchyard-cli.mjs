/**
 * The reactor as `switchyard serve` runs it: the CLI's supervisor process
 * and the server process it forks, with the CLI's defaults (stray errors
 * logged with their request). What the protections cost beside `serve()`
 * from code.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const CLI = require.resolve('@switchyard/core/package.json').replace(/package\.json$/, 'bin/switchyard.js');

export default async function start({ host, port, app }) {
  if (!/^[a-z0-9-]+$/.test(app ?? '')) throw new TypeError(`app must name a module of bench/src/peers/apps (got ${JSON.stringify(app)})`);
  const appPath = fileURLToPath(new URL(`../apps/${app}.mjs`, import.meta.url));
  const cli = spawn(process.execPath, [CLI, 'serve', appPath, '--backend', 'reactor', '--host', host, '--port', String(port)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    cli.stdout.on('data', (chunk) => {
      out += chunk;
      const found = / at (http:\/\/\S+) /.exec(out);
      if (found) resolve(found[1]);
    });
    cli.once('exit', (code) => reject(new Error(`switchyard serve exited with code ${code} before it listened: ${out}`)));
  });
  return {
    url,
    async close() {
      const exited = once(cli, 'exit');
      cli.kill('SIGTERM');
      await exited;
    },
  };
}
