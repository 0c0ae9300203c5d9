import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { json, startPool } from './helpers.js';

const typed = new URL('./fixtures/typed/', import.meta.url);

// Pool threads load JavaScript; a TypeScript app gets there by a build step
// or by a loader given with --import. Both paths are run here.
describe('pool: an app written in TypeScript', () => {
  afterAll(() => rmSync(new URL('./dist/', typed), { recursive: true, force: true }));

  it('runs after a tsc build, type-checked against the core types', async () => {
    const configPath = fileURLToPath(new URL('./tsconfig.json', typed));
    const config = ts.getParsedCommandLineOfConfigFile(configPath, {}, {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
      },
    })!;
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
});
