import { execFile, spawnSync } from 'node:child_process';
import { createReadStream, readdirSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { which } from '../../../../test-support/apt.mjs';

export const run = promisify(execFile);
const workspace = fileURLToPath(new URL('../../../..', import.meta.url));
// Without the workspace's npm_* settings and NODE_PATH, npm sees only the project it runs in.
const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_|^NODE_PATH$/i.test(key)));
export const execOptions = { env, maxBuffer: 64 * 1024 * 1024 };

/** Why this machine cannot build images, or undefined when it can: a docker CLI on PATH whose daemon answers. */
export function dockerMissing(): string | undefined {
  if (!which('docker')) return 'no docker on PATH';
  const info = spawnSync('docker', ['info'], { encoding: 'utf8', timeout: 30_000 });
  if (info.status === 0) return undefined;
  const why = `${info.stderr ?? ''}`.trim().split('\n').at(-1) || `exit ${info.status}`;
  return `docker info failed: ${why}`;
}

/** Serves the files of `dir` on 127.0.0.1: the packed packages, for npm inside the build (run with the host's network). */
export async function serveFiles(dir: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((request, response) => {
    const name = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname.slice(1));
    if (!readdirSync(dir).includes(name)) return void response.writeHead(404).end();
    response.writeHead(200, { 'content-type': 'application/octet-stream' });
    createReadStream(join(dir, name)).pipe(response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/**
 * An app's folder as the Dockerfile expects it: package.json and
 * package-lock.json (core and the reactor, packed from this workspace and
 * fetched from `tarballs`, where `serveFiles` serves `packed`), app.mjs,
 * and a .dockerignore that leaves node_modules out.
 */
export async function appFolder(dir: string, packed: string, tarballs: string): Promise<void> {
  await mkdir(packed, { recursive: true });
  const dependencies: Record<string, string> = {};
  for (const name of ['core', 'reactor']) {
    const { stdout } = await run('npx', ['-y', 'pnpm@10.34.8', 'pack', '--pack-destination', packed], {
      ...execOptions,
      cwd: join(workspace, 'packages', name),
    });
    const file = stdout.trim().split('\n').at(-1)!.split('/').at(-1)!;
    dependencies[`@switchyard/${name}`] = `${tarballs}/${file}`;
  }
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'docker-app', private: true, type: 'module', dependencies }, null, 2));
  await writeFile(join(dir, 'app.mjs'), `export default { fetch: (request) => new Response('in a container ' + new URL(request.url).pathname) };\n`);
  await writeFile(join(dir, '.dockerignore'), 'node_modules\n');
  await run('npm', ['install', '--package-lock-only', '--no-audit', '--no-fund'], { ...execOptions, cwd: dir });
}
