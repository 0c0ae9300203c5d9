import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, execOptions, packAll, run } from './support/packed.js';

/**
 * A newcomer's first hour, from packed tarballs in a folder made by
 * `npm init -y` (CommonJS by default today): the README's app, a CommonJS
 * app, a TypeScript app under every backend, `--watch` under every backend,
 * and stopping a server by the PID of the npx or pnpm that started it.
 */
const stripsTypes = Boolean((process.features as { typescript?: unknown }).typescript);

let root: string;
let project: string;
/** Every backend this Node runs: threads where it shares a port (Node 22.12 and later), as the packed @switchyard/threads says. */
let backends: string[];
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'switchyard-first-hour-'));
  project = join(root, 'hello');
  await mkdir(project);
  const tarballs = await packAll(join(root, 'tarballs'));
  await run('npm', ['init', '-y'], { ...execOptions, cwd: project });
  await run('npm', ['install', ...tarballs, 'tsx@4', '--no-audit', '--no-fund'], { ...execOptions, cwd: project });
  const threads = `const { reusePortMissing } = await import('@switchyard/threads'); process.stdout.write(reusePortMissing() ? '' : 'threads');`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', threads], { ...execOptions, cwd: project });
  backends = ['reactor', 'pool', 'cluster', ...(stdout === 'threads' ? ['threads'] : [])];
}, 240_000);

afterAll(async () => {
  // Whatever a failed test left running was started from here.
  await run('pkill', ['-f', root]).catch(() => {});
  if (root) await rm(root, { recursive: true, force: true });
});

interface Started {
  child: ChildProcess;
  url: Promise<string>;
  output: () => string;
}

/** Runs `command` in the project; `url` resolves from the CLI's "serving" line, or rejects with the output. */
function start(command: string, args: string[], env: Record<string, string> = {}): Started {
  const child = spawn(command, args, { cwd: project, env: { ...cleanEnv, ...env } });
  let output = '';
  const url = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "serving" line within 30 s:\n${output}`)), 30_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk;
      const match = /^switchyard: \w+ serving .* at (http:\S+) \(.+\)$/m.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before serving:\n${output}`));
    });
  });
  url.catch(() => {});
  return { child, url, output: () => output };
}

/** The switchyard bin as npm installed it. */
function serve(args: string[], env: Record<string, string> = {}): Started {
  return start(join(project, 'node_modules', '.bin', 'switchyard'), ['serve', ...args, '--port', '0', '--workers', '2'], env);
}

async function stop({ child }: Started): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

async function text(url: string): Promise<string> {
  return (await fetch(url, { headers: { connection: 'close' } })).text();
}

/**
 * Polls until `check` holds; fails after `ms`, with the server's output when given. A check that
 * throws (a refused connection while the reactor restarts) has not held yet.
 */
async function eventually(check: () => Promise<boolean> | boolean, ms: number, what: string, output?: () => string): Promise<void> {
  for (const deadline = Date.now() + ms; ; ) {
    if (
      await Promise.resolve()
        .then(check)
        .catch(() => false)
    )
      return;
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${what}${output ? `\n${output()}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * What each backend prints as a reload starts, ends and stops short: pool
 * reloads its threads, cluster and threads roll theirs, and the reactor's
 * supervisor restarts the server (its new "serving" line ends the reload).
 */
const RELOADS: Record<string, { starts: RegExp; done: RegExp; stopped: RegExp }> = {
  reactor: {
    starts: /^\[switchyard\] SIGHUP: reloading: checking that the app loads, then restarting the server$/gm,
    done: /^switchyard: reactor serving /gm,
    stopped: /^\[switchyard\] reload stopped: the app does not load/m,
  },
  pool: {
    starts: /^\[switchyard\] SIGHUP: reloading the app in 2 threads \+ express lane$/gm,
    done: /^\[switchyard\] reload done$/gm,
    stopped: /^\[switchyard\] reload stopped: /m,
  },
  cluster: {
    starts: /^\[switchyard\] SIGHUP: rolling restart of 2 processes$/gm,
    done: /^\[switchyard\] rolling restart done$/gm,
    stopped: /^\[switchyard\] rolling restart stopped: /m,
  },
  threads: {
    starts: /^\[switchyard\] SIGHUP: rolling restart of 2 threads$/gm,
    done: /^\[switchyard\] rolling restart done$/gm,
    stopped: /^\[switchyard\] rolling restart stopped: /m,
  },
};

const count = (output: string, pattern: RegExp) => output.match(pattern)?.length ?? 0;

/** Reloads `backend` began and finished so far, by its own messages (the reactor's first "serving" line is its start). */
function reloads(backend: string, output: string): { started: number; done: number } {
  const { starts, done } = RELOADS[backend]!;
  return { started: count(output, starts), done: count(output, done) - (backend === 'reactor' ? 1 : 0) };
}

/** Runs the CLI to its end: for apps that must not load. */
async function serveFails(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; output: string }> {
  const started = serve(args, env);
  const [code] = (await once(started.child, 'exit')) as [number | null];
  return { code, output: started.output() };
}

describe('the first hour, from packed tarballs in an `npm init -y` folder', { timeout: 120_000 }, () => {
  it("serves the README's app.mjs, and explains the README's app as app.js in a CommonJS folder", async () => {
    const app = `export default {\n  fetch(request, ctx) {\n    return new Response(\`Hello from \${ctx.backend}\`);\n  },\n};\n`;
    await writeFile(join(project, 'app.mjs'), app);
    const server = serve(['app.mjs']);
    try {
      expect(await text(await server.url)).toBe('Hello from reactor');
    } finally {
      await stop(server);
    }
    await writeFile(join(project, 'app.js'), app);
    const { code, output } = await serveFails(['app.js']);
    expect(code).toBe(1);
    expect(output).toContain('uses ES module syntax');
    expect(output).toContain('"type": "commonjs"');
    expect(output).toContain('Rename it to .mjs');
  });

  it('serves a CommonJS app, module.exports = { fetch }, in worker threads (pool, and threads where Node runs it)', async () => {
    await writeFile(join(project, 'common.js'), `module.exports = { fetch: () => new Response('commonjs') };\n`);
    for (const backend of backends.filter((name) => name === 'pool' || name === 'threads')) {
      const server = serve(['common.js', '--backend', backend]);
      try {
        expect(await text(await server.url), backend).toBe('commonjs');
      } finally {
        await stop(server);
      }
    }
  });

  it('serves a TypeScript app under every backend: through tsx, and with Node alone where it strips types', async () => {
    await writeFile(
      join(project, 'app.ts'),
      `const greeting: string = 'typed';\nexport default { fetch: (request: Request): Response => new Response(greeting + ' ' + new URL(request.url).pathname) };\n`,
    );
    for (const backend of backends) {
      const server = serve(['app.ts', '--backend', backend], { NODE_OPTIONS: '--import tsx' });
      try {
        const url = await server.url;
        for (let i = 0; i < 6; i++) expect(await text(`${url}/tsx`), backend).toBe('typed /tsx');
      } finally {
        await stop(server);
      }
    }
    // Node alone: a .ts file in this CommonJS folder is CommonJS to Node, so the ES module is app.mts.
    await writeFile(
      join(project, 'app.mts'),
      `const greeting: string = 'typed';\nexport default { fetch: (request: Request): Response => new Response(greeting + ' ' + new URL(request.url).pathname) };\n`,
    );
    for (const backend of backends) {
      if (stripsTypes) {
        const server = serve(['app.mts', '--backend', backend]);
        try {
          expect(await text(`${await server.url}/node`), backend).toBe('typed /node');
        } finally {
          await stop(server);
        }
      } else {
        const { code, output } = await serveFails(['app.mts', '--backend', backend]);
        expect(code, backend).toBe(1);
        expect(output, backend).toContain('NODE_OPTIONS="--import tsx"');
        expect(output, backend).toContain('Node >= 22.18');
      }
    }
    if (stripsTypes) {
      const { code, output } = await serveFails(['app.ts']);
      expect(code).toBe(1);
      expect(output).toContain('uses ES module syntax');
      expect(output).toContain('Rename it to .mts');
    }
  });

  it('--watch reloads under every backend, and an app that stops loading leaves the last one serving', async () => {
    const dir = join(project, 'watched');
    await mkdir(dir, { recursive: true });
    const app = join(dir, 'app.mjs');
    const version = (v: string) => writeFile(app, `export default { fetch: () => new Response('${v}') };\n`);
    for (const backend of backends) {
      await version('v1');
      const server = serve(['watched/app.mjs', '--backend', backend, '--watch']);
      try {
        const url = await server.url;
        expect(await text(url)).toBe('v1');
        await version('v2');
        // A reload goes one thread or process at a time: wait for it to end before the next save.
        await eventually(() => reloads(backend, server.output()).done === 1, 20_000, `${backend} reloads`, server.output);
        expect(reloads(backend, server.output()), backend).toEqual({ started: 1, done: 1 });
        for (let i = 0; i < 4; i++) expect(await text(url), backend).toBe('v2');
        await writeFile(app, 'export default { fetch( => };\n');
        await eventually(() => RELOADS[backend]!.stopped.test(server.output()), 20_000, `${backend} reports the failed reload`, server.output);
        expect(server.output()).toContain('Unexpected token');
        for (let i = 0; i < 4; i++) expect(await text(url), backend).toBe('v2');
        await version('v3');
        await eventually(() => reloads(backend, server.output()).done === 2, 20_000, `${backend} reloads again`, server.output);
        expect(reloads(backend, server.output()), backend).toEqual({ started: 3, done: 2 });
        for (let i = 0; i < 4; i++) expect(await text(url), backend).toBe('v3');
      } finally {
        await stop(server);
      }
    }
  });

  it('stops when the npx, or the pnpm, that started it is killed by its PID', async () => {
    await writeFile(
      join(project, 'package.json'),
      JSON.stringify({ name: 'hello', version: '1.0.0', scripts: { start: 'switchyard serve app.mjs --port 0' } }),
    );
    for (const [command, args] of [
      ['npx', ['switchyard', 'serve', 'app.mjs', '--port', '0']],
      ['npx', ['-y', 'pnpm@10.34.8', 'start']],
    ] as const) {
      const launched = start(command, [...args]);
      const url = await launched.url;
      expect(await text(url)).toBe('Hello from reactor');
      launched.child.kill('SIGTERM');
      await eventually(
        () =>
          fetch(url).then(
            () => false,
            () => true,
          ),
        15_000,
        `${args.join(' ')} leaves no server behind`,
      );
    }
  });
});
