import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Packs every published package the way a release does, installs the
 * tarballs into a fresh project outside the workspace with npm, and uses them
 * there: this catches a missing `files` entry, a `workspace:` range left in,
 * or types that only resolve inside the monorepo.
 */
const run = promisify(execFile);
const workspace = fileURLToPath(new URL('../../..', import.meta.url));
const tsc = join(workspace, 'node_modules', '.bin', 'tsc');

const published = readdirSync(join(workspace, 'packages'))
  .map((name) => join(workspace, 'packages', name))
  .filter((dir) => existsSync(join(dir, 'package.json')))
  .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string; private?: boolean } }))
  .filter(({ manifest }) => manifest.private !== true);

// Without the workspace's npm_* settings and NODE_PATH (pnpm's bin shims point
// it at every hoisted workspace package), the project sees only its own deps.
const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_|^NODE_PATH$/i.test(key)));
const options = { env, timeout: 90_000, maxBuffer: 16 * 1024 * 1024 };

let root: string;
let project: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'switchyard-pack-'));
  const tarballs = join(root, 'tarballs');
  project = join(root, 'project');
  await mkdir(tarballs);
  await mkdir(project);
  for (const { dir } of published) {
    await run('npx', ['-y', 'pnpm@10.34.8', 'pack', '--pack-destination', tarballs], { ...options, cwd: dir });
  }
  const files = readdirSync(tarballs).filter((file) => file.endsWith('.tgz'));
  expect(files).toHaveLength(published.length);
  await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'packed', private: true, type: 'module' }));
  await writeFile(
    join(project, 'app.mjs'),
    `import { FastResponse } from '@switchyard/core';
export default { fetch: (request) => new FastResponse('packed ' + new URL(request.url).pathname) };
`,
  );
  await run('npm', ['install', ...files.map((file) => join(tarballs, file)), '--no-audit', '--no-fund'], { ...options, cwd: project });
}, 120_000);

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

const servesApps = new Set(['@switchyard/core', '@switchyard/reactor', '@switchyard/pool', '@switchyard/cluster']);

// Each step spawns npm, node or tsc; a loaded 2-core CI machine needs the room.
describe('packed tarballs in a fresh project', { timeout: 60_000 }, () => {
  it('installs every published package so that its entry point imports', async () => {
    expect(published.map(({ manifest }) => manifest.name)).toEqual(expect.arrayContaining(['@switchyard/core', '@switchyard/reactor']));
    for (const { manifest } of published) {
      // Core and the backends export serve(); every other package at least one function.
      const script = `const m = await import(${JSON.stringify(manifest.name)});
console.log(typeof m.serve, Object.values(m).some((value) => typeof value === 'function'));`;
      const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { ...options, cwd: project });
      const [serveType, hasFunction] = stdout.trim().split(' ');
      if (servesApps.has(manifest.name)) expect(serveType, manifest.name).toBe('function');
      expect(hasFunction, manifest.name).toBe('true');
    }
  });

  it('runs the switchyard bin', async () => {
    const bin = join(project, 'node_modules', '.bin', 'switchyard');
    const child = spawn(bin, ['serve', 'app.mjs', '--port', '0'], { cwd: project, env });
    const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    try {
      let output = '';
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk;
          const match = /^switchyard: reactor serving app\.mjs at (http:\S+) \(1 worker\)$/m.exec(output);
          if (match) resolve(match[1]!);
        });
        child.stderr.on('data', (chunk: Buffer) => (output += chunk));
        child.on('error', reject);
        child.on('exit', (code) => reject(new Error(`switchyard exited with ${code}:\n${output}`)));
      });
      const response = await fetch(`${url}/bin`);
      expect(await response.text()).toBe('packed /bin');
      child.kill('SIGTERM');
      const [code] = (await once(child, 'exit')) as [number | null];
      expect(code).toBe(0);
    } finally {
      clearTimeout(killer);
      child.kill('SIGKILL');
    }
  });

  it('finds the installed @switchyard/bench for "switchyard bench"', async () => {
    const bin = join(project, 'node_modules', '.bin', 'switchyard');
    const { stdout } = await run(bin, ['bench', '--help'], { ...options, cwd: project });
    expect(stdout).toContain('Usage: switchyard bench <app> --route <path>');
  });

  it("serves through @switchyard/core's serve() with the reactor backend", async () => {
    await writeFile(
      join(project, 'serve.mjs'),
      `import { serve } from '@switchyard/core';
const server = await serve({ app: './app.mjs', backend: 'reactor', port: 0, signals: false });
const response = await fetch(server.url + '/api');
console.log(server.backend, await response.text());
await server.close();
await server.close();
`,
    );
    const { stdout } = await run(process.execPath, ['serve.mjs'], { ...options, cwd: project });
    expect(stdout.trim()).toBe('reactor packed /api');
  });

  it('typechecks against the published types with strict settings', async () => {
    await writeFile(
      join(project, 'check.ts'),
      `import { FastResponse, serve, type App, type ServeOptions } from '@switchyard/core';
import { serve as serveReactor } from '@switchyard/reactor';

const app = { fetch: (request: Request) => new FastResponse(request.url) } satisfies App;
const options: ServeOptions = { app: './app.mjs', port: 0, limits: { maxBodySize: 1024 } };
const server = await serve({ ...options, backend: 'reactor' });
const direct = await serveReactor(options);
const url: string = server.url;
await Promise.all([server.close(), direct.close({ graceMs: 100 })]);

// Proof that real types resolved: with \`any\` these would not be errors.
// @ts-expect-error app is required
await serve({ port: 0 });
// @ts-expect-error no such backend
await serve({ ...options, backend: 'fibers' });

export { app, url };
`,
    );
    const args = ['--noEmit', '--strict', '--target', 'es2022', '--module', 'nodenext', '--moduleResolution', 'nodenext'];
    args.push('--types', 'node', '--typeRoots', join(workspace, 'node_modules', '@types'), '--skipLibCheck', 'false', 'check.ts');
    const result = await run(tsc, args, { ...options, cwd: project }).catch((error: { stdout: string }) => error);
    expect(result.stdout).toBe('');
  });
});
