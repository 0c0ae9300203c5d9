import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServing } from '../../../test-support/serving-process.mjs';
import { cleanEnv, execOptions, packAll, published, run, workspace } from './support/packed.js';

/**
 * Packs every published package the way a release does, installs the
 * tarballs into a fresh project outside the workspace with npm, and uses them
 * there: this catches a missing `files` entry, a `workspace:` range left in,
 * or types that only resolve inside the monorepo. The types are checked by
 * the workspace's TypeScript 5 and by TypeScript 7, with and without
 * @types/node (README of core, "TypeScript").
 */
const env = cleanEnv;
const options = execOptions;

/** A TypeScript compiler, and the @types/node that projects checked with it get. */
interface Compiler {
  tsc: string;
  typeRoots: string;
}
/** The compilers the types are checked with, in the order of `compilers`. */
const COMPILERS = ['TypeScript 5', 'TypeScript 7'];

let root: string;
let project: string;
/** The tarballs' file names, as npm installed them. */
let packed: string[] = [];
const compilers: Compiler[] = [];
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'switchyard-pack-'));
  const tarballs = join(root, 'tarballs');
  project = join(root, 'project');
  // Beside the project, not in it: the project must stay without @types/node.
  const ts7 = join(root, 'ts7');
  await Promise.all([mkdir(project), mkdir(ts7)]);
  const packAndInstall = async () => {
    const files = await packAll(tarballs);
    packed = files.map((file) => basename(file));
    await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'packed', private: true, type: 'module' }));
    await writeFile(
      join(project, 'app.mjs'),
      `import { FastResponse } from '@switchyard/core';
export default { fetch: (request) => new FastResponse('packed ' + new URL(request.url).pathname) };
`,
    );
    await run('npm', ['install', ...files, '--no-audit', '--no-fund'], { ...options, cwd: project });
  };
  // What `npm i -D typescript @types/node` gives a new project today, installed meanwhile.
  const installTs7 = async () => {
    await writeFile(join(ts7, 'package.json'), JSON.stringify({ name: 'ts7', private: true }));
    await run('npm', ['install', 'typescript@7', '@types/node', '--no-audit', '--no-fund'], { ...options, cwd: ts7 });
  };
  await Promise.all([packAndInstall(), installTs7()]);
  compilers.push(
    { tsc: join(workspace, 'node_modules', '.bin', 'tsc'), typeRoots: join(workspace, 'node_modules', '@types') },
    { tsc: join(ts7, 'node_modules', '.bin', 'tsc'), typeRoots: join(ts7, 'node_modules', '@types') },
  );
}, 180_000);

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

/** Every published package: a new one must be added here, and to the type checks below. */
const PACKAGES = ['core', 'reactor', 'pool', 'cluster', 'threads', 'bench', 'redis'];
const servesApps = new Set(['@switchyard/core', '@switchyard/reactor', '@switchyard/pool', '@switchyard/cluster', '@switchyard/threads']);

// Each step spawns npm, node or tsc; a loaded 2-core CI machine needs the room.
describe('packed tarballs in a fresh project', { timeout: 60_000 }, () => {
  it('installs every published package so that its entry point imports', async () => {
    expect(published.map(({ manifest }) => manifest.name).sort()).toEqual(PACKAGES.map((name) => `@switchyard/${name}`).sort());
    expect(packed.map((file) => /^switchyard-([a-z]+)-\d/.exec(file)?.[1]).sort()).toEqual([...PACKAGES].sort());
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
    const server = await startServing(bin, ['serve', 'app.mjs', '--port', '0'], {
      cwd: project,
      env,
      banner: /^switchyard: reactor serving app\.mjs at (http:\S+) \(1 worker\)$/m,
    });
    try {
      const response = await fetch(`${server.url}/bin`);
      expect(await response.text()).toBe('packed /bin');
      expect(await server.stop()).toBe(0);
    } finally {
      await server.stop('SIGKILL');
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

  it('serves with the threads backend where Node shares a port, and says why not elsewhere', async () => {
    // The threads load the package's own thread entry: a file the tarball must hold.
    await writeFile(
      join(project, 'threads.mjs'),
      `import { serve } from '@switchyard/core';
import { reusePortMissing } from '@switchyard/threads';
try {
  const server = await serve({ app: './app.mjs', backend: 'threads', workers: 2, port: 0, signals: false });
  const response = await fetch(server.url + '/threads');
  console.log(server.backend, await response.text());
  await server.close();
} catch (error) {
  console.log(reusePortMissing() ? error.code : error);
}
`,
    );
    const { stdout: missing } = await run(
      process.execPath,
      ['--input-type=module', '-e', `const { reusePortMissing } = await import('@switchyard/threads'); process.stdout.write(reusePortMissing() ?? '');`],
      { ...options, cwd: project },
    );
    const { stdout } = await run(process.execPath, ['threads.mjs'], { ...options, cwd: project });
    expect(stdout.trim()).toBe(missing ? 'ERR_REUSEPORT_UNSUPPORTED' : 'threads packed /threads');
  });
});

/** Uses the app-facing entry points; every project must compile it. */
const CHECK_APP = `import { FastResponse, serve, type App, type ChannelBridge, type RunningServer, type ServeOptions } from '@switchyard/core';
import { FastResponse as FastResponseToo } from '@switchyard/core/response';
import { serve as serveReactor } from '@switchyard/reactor';
import { serve as servePool, type PoolOptions, type PoolStats } from '@switchyard/pool';
import { serve as serveCluster, type ClusterOptions, type ClusterStats } from '@switchyard/cluster';
import { reusePortMissing, serve as serveThreads, type ThreadsOptions, type ThreadsServer, type ThreadsStats } from '@switchyard/threads';
import { createRedisBridge, DEFAULT_REDIS_CHANNEL, parseChannelUrl, type RedisBridgeOptions } from '@switchyard/redis';

const app = { fetch: (request: Request) => new FastResponse(request.url) } satisfies App;
const options: ServeOptions = { app: './app.mjs', port: 0, limits: { maxBodySize: 1024 } };
const server = await serve({ ...options, backend: 'reactor' });
const direct = await serveReactor(options);
const url: string = server.url;
await Promise.all([server.close(), direct.close({ graceMs: 100 })]);

const pool: PoolOptions = { concurrentTasksPerWorker: 4, resourceLimits: { maxOldGenerationSizeMb: 256 } };
const cluster: ClusterOptions = { maxRequests: 1000 };
// Each backend's options, typed with its own interface, fit ServeOptions.
await Promise.all([servePool({ ...options, pool }), serveCluster({ ...options, cluster }), serve({ ...options, backend: 'pool', pool })]);
const backends: Array<(options: ServeOptions) => Promise<RunningServer>> = [serveReactor, servePool, serveCluster, serveThreads];
const threads = (stats: PoolStats): number => stats.pool.threads;
const rss = (stats: ClusterStats): number => stats.rssBytes;

const threadsOptions: ThreadsOptions = { heartbeatTimeoutMs: 5000, crashLoopLimit: 3, resourceLimits: { maxYoungGenerationSizeMb: 16 } };
const sharesPort: boolean = reusePortMissing() === undefined;
const threaded: ThreadsServer = await serveThreads({ ...options, workers: 2, threads: threadsOptions });
const threadStats: ThreadsStats = await threaded.stats();
const replaced: number = threadStats.restarts;
await threaded.reload();
await threaded.close();

const logger = { error() {}, warn() {}, info() {} };
const redisOptions: RedisBridgeOptions = { logger, maxBuffered: 100, connectTimeoutMs: 1000 };
const { channel, shown }: { channel: string; shown: string } = parseChannelUrl(\`redis://localhost:6379?channel=\${DEFAULT_REDIS_CHANNEL}\`);
const bridge: ChannelBridge = await createRedisBridge('redis://localhost:6379', redisOptions);
await serve({ ...options, backend: 'threads', channel: bridge });

// Proof that real types resolved: with \`any\` these would not be errors.
// @ts-expect-error app is required
await serve({ port: 0 });
// @ts-expect-error no such backend
await serve({ ...options, backend: 'fibers' });
// @ts-expect-error fetch answers with a Response
const wrong: App = { fetch: () => 'text' };
// @ts-expect-error threads take the cluster's supervision settings, numbers
const wrongThreads: ThreadsOptions = { crashLoopLimit: 'three' };
// @ts-expect-error the Redis bridge logs through a logger
await createRedisBridge('redis://localhost:6379', {});

export { app, url, pool, cluster, backends, threads, rss, wrong, FastResponseToo };
export { sharesPort, replaced, channel, shown, wrongThreads };
`;

/** Where the project's lib declares Symbol.asyncDispose, a server is AsyncDisposable. */
const CHECK_DISPOSE = `import { serve } from '@switchyard/reactor';

await using server = await serve({ app: './app.mjs', port: 0 });
const disposable: AsyncDisposable = server;
export { disposable };
`;

/** Uses the entry points whose types are Node's; projects with @types/node must compile it. */
const CHECK_NODE = `import type { Server } from 'node:http';
import { defineConformanceSuite, rawExchange } from '@switchyard/core/conformance';
import { createNodeHandler, flattenHeaders } from '@switchyard/core/node';
import { serve, type ReactorContext } from '@switchyard/reactor/node';
import { runBench, type BenchOptions } from '@switchyard/bench';

const context: ReactorContext = { workerId: 1, listen: async (server: Server) => ({ port: 0, url: String(server.listening) }) };
const running = await serve({ app: './app.mjs', port: 0 }, context);
await running.close();
const flat: string[] = flattenHeaders({ a: 'b' });
// @ts-expect-error options are required
createNodeHandler();

export { flat, defineConformanceSuite, rawExchange, runBench, type BenchOptions };
`;

/** A user's project, strict as `tsc --init` makes it. */
interface UserProject {
  name: string;
  target: string;
  lib?: string[];
  node: boolean;
  files: string[];
  /** Default false: the published declarations are checked too. */
  skipLibCheck?: boolean;
}

/** Without @types/node, the Fetch types come from lib "dom" (a target's default lib includes it). */
const PROJECTS: UserProject[] = [
  { name: 'no @types/node, lib es2022 + dom: no Symbol.asyncDispose', target: 'es2022', node: false, files: ['check-app.ts'] },
  { name: 'no @types/node, target esnext (tsc --init)', target: 'esnext', node: false, files: ['check-app.ts', 'check-dispose.ts'] },
  { name: '@types/node, lib es2022 without dom', target: 'es2022', lib: ['es2022'], node: true, files: ['check-app.ts', 'check-dispose.ts', 'check-node.ts'] },
  { name: '@types/node, target esnext with dom', target: 'esnext', node: true, files: ['check-app.ts', 'check-dispose.ts', 'check-node.ts'] },
];

/** Writes the project's tsconfig for `compiler` and runs it; tsc prints its errors on stdout. */
async function typecheck(compiler: Compiler, user: UserProject, id: string): Promise<{ code: number; output: string }> {
  const compilerOptions = {
    strict: true,
    noEmit: true,
    target: user.target,
    ...(user.lib ? { lib: user.lib } : {}),
    module: 'nodenext',
    moduleDetection: 'force',
    verbatimModuleSyntax: true,
    isolatedModules: true,
    noUncheckedIndexedAccess: true,
    exactOptionalPropertyTypes: true,
    noUncheckedSideEffectImports: true,
    skipLibCheck: user.skipLibCheck ?? false,
    // Explicit either way: TypeScript 5 would otherwise load every @types package it finds, 7 none.
    types: user.node ? ['node'] : [],
    ...(user.node ? { typeRoots: [compiler.typeRoots] } : {}),
  };
  const config = `tsconfig.${id}.json`;
  await writeFile(join(project, config), JSON.stringify({ compilerOptions, files: user.files }, null, 2));
  try {
    const { stdout } = await run(compiler.tsc, ['-p', config], { ...options, cwd: project });
    return { code: 0, output: stdout };
  } catch (error) {
    const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string };
    return { code, output: stdout + stderr };
  }
}

describe('the published types in strict projects', { timeout: 90_000 }, () => {
  beforeAll(async () => {
    await writeFile(join(project, 'check-app.ts'), CHECK_APP);
    await writeFile(join(project, 'check-dispose.ts'), CHECK_DISPOSE);
    await writeFile(join(project, 'check-node.ts'), CHECK_NODE);
  });

  it('runs TypeScript 5 and 7, and the project has no @types/node of its own', async () => {
    const versions = await Promise.all(compilers.map(async ({ tsc }) => (await run(tsc, ['--version'], { ...options, cwd: project })).stdout.trim()));
    expect(versions[0]).toMatch(/^Version 5\./);
    expect(versions[1]).toMatch(/^Version 7\./);
    expect(existsSync(join(project, 'node_modules', '@types', 'node'))).toBe(false);
  });

  for (const [c, compilerName] of COMPILERS.entries()) {
    for (const [p, user] of PROJECTS.entries()) {
      it(`compile under ${compilerName}: ${user.name}`, async () => {
        const { output } = await typecheck(compilers[c]!, user, `${c}-${p}`);
        expect(output).toBe('');
      });
    }

    it(`name what is missing under ${compilerName}`, async () => {
      // Neither lib "dom" nor @types/node: the error on the user's own code says what to add, even with skipLibCheck on.
      const bare = await typecheck(
        compilers[c]!,
        { name: 'bare', target: 'es2022', lib: ['es2022'], node: false, files: ['check-app.ts'], skipLibCheck: true },
        `${c}-bare`,
      );
      expect(bare.code).not.toBe(0);
      expect(bare.output).toMatch(
        /^check-app\.ts\(\d+,\d+\): error TS\d+: .*Switchyard needs the Fetch types: add "DOM" to compilerOptions\.lib, or install @types\/node/m,
      );
      // A Node entry point without @types/node names the missing package.
      const nodeless = await typecheck(compilers[c]!, { name: 'nodeless', target: 'es2022', node: false, files: ['check-node.ts'] }, `${c}-nodeless`);
      expect(nodeless.code).not.toBe(0);
      expect(nodeless.output).toMatch(/@switchyard\/core\/dist\/node\/index\.d\.ts\(1,\d+\): error TS2688: Cannot find type definition file for 'node'/);
    });
  }
});
