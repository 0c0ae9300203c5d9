import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { startServing } from '../../../test-support/serving-process.mjs';
import { json, startPool } from './helpers.js';

const typed = new URL('./fixtures/typed/', import.meta.url);

// Pool threads load JavaScript; a TypeScript app gets there by a build step,
// by a loader given with --import, or by tsx. All three are run here.
describe('pool: an app written in TypeScript', () => {
  afterAll(() => rmSync(new URL('./dist/', typed), { recursive: true, force: true }));

  it('runs after a tsc build, type-checked against the core types', async () => {
    const configPath = fileURLToPath(new URL('./tsconfig.json', typed));
    const config = ts.getParsedCommandLineOfConfigFile(
      configPath,
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
          throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
        },
      },
    )!;
    const program = ts.createProgram(config.fileNames, config.options);
    const emitted = program.emit();
    const diagnostics = [...ts.getPreEmitDiagnostics(program), ...emitted.diagnostics];
    expect(diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))).toEqual([]);

    const server = await startPool({ app: new URL('./dist/app.js', typed) });
    try {
      const got = await json<{ path: string; workerId: number; threadId: number }>(fetch(`${server.url}/built`));
      expect(got.path).toBe('/built');
      expect([1, 2]).toContain(got.workerId);
      expect(got.threadId).toBeGreaterThan(0);
    } finally {
      await server.close();
    }
  });

  it('runs from source with a loader given to the threads through --import', async () => {
    const loader = new URL('./fixtures/ts-loader.mjs', import.meta.url).href;
    const server = await startPool({ app: new URL('./app.ts', typed), pool: { execArgv: ['--import', loader] } });
    try {
      const got = await json<{ path: string; workerId: number }>(fetch(`${server.url}/from-source`));
      expect(got.path).toBe('/from-source');
      expect([1, 2]).toContain(got.workerId);
    } finally {
      await server.close();
    }
  });

  it('runs from source under NODE_OPTIONS="--import tsx", which on Node 20 registers tsx on the main thread only', async () => {
    const bin = fileURLToPath(new URL('../../core/bin/switchyard.js', import.meta.url));
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_OPTIONS: '--import tsx' };
    for (const key of ['SWITCHYARD_BACKEND', 'PORT', 'WEB_CONCURRENCY', 'NODE_PATH']) delete env[key];
    const args = [bin, 'serve', fileURLToPath(new URL('./app.ts', typed)), '--backend', 'pool', '--workers', '2', '--port', '0'];
    // From this package, where tsx is installed, as a user's project would have it.
    const cwd = fileURLToPath(new URL('..', import.meta.url));
    const server = await startServing(process.execPath, args, { cwd, env, banner: / at (http:\S+) \(2 threads \+ express lane\)$/m });
    try {
      const workers = new Set<number>();
      for (let i = 0; i < 8; i++) {
        const got = await json<{ path: string; workerId: number }>(fetch(`${server.url}/tsx`, { headers: { connection: 'close' } }));
        expect(got.path).toBe('/tsx');
        workers.add(got.workerId);
      }
      expect([...workers].every((id) => [1, 2, 3].includes(id))).toBe(true);
    } finally {
      await server.stop();
    }
  }, 40_000);
});
