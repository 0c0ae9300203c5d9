import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serve } from '@switchyard/core';

const run = promisify(execFile);
const coreUrl = new URL('../dist/index.js', import.meta.url).href;
const app = new URL('./fixtures/hello.mjs', import.meta.url).href;

// A directory outside the workspace, where no backend package resolves.
let empty: string;
beforeAll(async () => {
  empty = await mkdtemp(join(tmpdir(), 'switchyard-serve-'));
});
afterAll(async () => {
  await rm(empty, { recursive: true, force: true });
});

/**
 * Runs `call` (an expression using `core`) in a child process whose working
 * directory is the empty one, and returns the error it rejects with. NODE_PATH
 * is dropped: pnpm's bin shims set it to a folder where every workspace
 * package is hoisted, which would make any backend resolvable.
 */
async function failureIn(name: string, call: string): Promise<{ code: string; message: string }> {
  const script = join(empty, `${name}.mjs`);
  await writeFile(
    script,
    `import * as core from ${JSON.stringify(coreUrl)};
${call}.then(
  async (value) => { await value.close?.(); console.log('{}'); },
  (error) => console.log(JSON.stringify({ code: error.code, message: error.message })),
);`,
  );
  const { NODE_PATH: _drop, ...env } = process.env;
  const { stdout } = await run(process.execPath, [script], { cwd: empty, env, timeout: 15_000 });
  return JSON.parse(stdout) as { code: string; message: string };
}

describe('loadBackend', () => {
  it.each(['pool', 'cluster'])('names @switchyard/%s and how to install it when it is missing', async (backend) => {
    const error = await failureIn(`load-${backend}`, `core.loadBackend(${JSON.stringify(backend)}, process.cwd())`);
    expect(error.code).toBe('ERR_BACKEND_NOT_INSTALLED');
    expect(error.message).toContain(`@switchyard/${backend} package`);
    expect(error.message).toContain(`npm install @switchyard/${backend}`);
  });
});

describe('serve', () => {
  it.each(['pool', 'cluster'])('fails with ERR_BACKEND_NOT_INSTALLED for backend %s from a project without it', async (backend) => {
    const options = { app, backend, port: 0, signals: false };
    const error = await failureIn(`serve-${backend}`, `core.serve(${JSON.stringify(options)})`);
    expect(error.code).toBe('ERR_BACKEND_NOT_INSTALLED');
    expect(error.message).toContain(`npm install @switchyard/${backend}`);
  });

  it('validates options before loading a backend', async () => {
    const error = await serve({ app, backend: 'pool', port: -1 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ERR_INVALID_OPTION' });
    expect((error as Error).message).toContain('"port"');
  });

  it('rejects an unknown backend by name', async () => {
    const error = await serve({ app, backend: 'fibers' as 'pool' }).catch((e: unknown) => e);
    expect((error as Error).message).toContain('"reactor", "pool", "cluster"');
  });
});
