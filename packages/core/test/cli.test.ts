import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../bin/switchyard.js', import.meta.url));
const cwd = fileURLToPath(new URL('.', import.meta.url));

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the CLI to completion with a clean environment for the variables it
 * reads. NODE_PATH goes too: pnpm's bin shims point it at every hoisted
 * workspace package, which would make any package resolvable.
 */
function cli(args: string[], env: Record<string, string> = {}, { bin: path = bin, dir = cwd } = {}): Promise<Result> {
  const base = { ...process.env };
  for (const key of ['SWITCHYARD_BACKEND', 'PORT', 'HOST', 'WEB_CONCURRENCY', 'SWITCHYARD_FAST_GLOBALS', 'NODE_PATH']) delete base[key];
  return new Promise((resolve) => {
    execFile(process.execPath, [path, ...args], { cwd: dir, env: { ...base, ...env }, timeout: 15_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });
}

describe('switchyard CLI', () => {
  it('--help lists every flag and the environment fallbacks', async () => {
    for (const flag of ['--help', '-h']) {
      const { code, stdout } = await cli([flag]);
      expect(code).toBe(0);
      expect(stdout).toContain('switchyard serve <app>');
      for (const word of [
        '--backend',
        '--port',
        '--host',
        '--workers',
        '--no-fast-globals',
        '--version',
        'SWITCHYARD_BACKEND',
        'PORT',
        'HOST',
        'WEB_CONCURRENCY',
        'SWITCHYARD_FAST_GLOBALS',
        '--metrics',
        'SWITCHYARD_METRICS',
        '--log',
        'SWITCHYARD_LOG',
        '--health',
        'SWITCHYARD_HEALTH',
      ]) {
        expect(stdout).toContain(word);
      }
    }
  });

  it('--version prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    const { code, stdout } = await cli(['--version']);
    expect(code).toBe(0);
    expect(stdout.trim()).toBe(version);
  });

  it('exits 2 on an unknown flag, with a hint', async () => {
    const { code, stderr } = await cli(['serve', 'fixtures/hello.mjs', '--threads', '4']);
    expect(code).toBe(2);
    expect(stderr).toContain("'--threads'");
    expect(stderr).toContain('switchyard --help');
  });

  it('exits 2 when the app is missing', async () => {
    const { code, stderr } = await cli(['serve']);
    expect(code).toBe(2);
    expect(stderr).toContain('<app>');
    expect(stderr).toContain('switchyard --help');
  });

  it('exits 2 on an unknown command, naming the known ones', async () => {
    const { code, stderr } = await cli(['deploy', 'fixtures/hello.mjs']);
    expect(code).toBe(2);
    expect(stderr).toContain('Unknown command "deploy". Commands: serve, bench.');
  });

  it('--help lists the bench command', async () => {
    const { stdout } = await cli(['--help']);
    expect(stdout).toContain('switchyard bench <app> --route <path>');
    expect(stdout).toContain('switchyard bench --help');
  });

  it('hands "bench" to @switchyard/bench, which prints its own usage', async () => {
    const { code, stdout } = await cli(['bench', '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: switchyard bench <app> --route <path>');
    expect(stdout).toContain('--quick');
  });

  it("exits 2 with the bench's own message on a bad bench flag", async () => {
    const { code, stderr } = await cli(['bench', 'fixtures/hello.mjs', '--route', '/', '--runs', 'many']);
    expect(code).toBe(2);
    expect(stderr).toContain('Invalid --runs "many"');
  });

  it('names the package to install when @switchyard/bench is missing', async () => {
    // A project with core installed and nothing else: a copy, so that no
    // workspace node_modules lies on the way up from it.
    const project = mkdtempSync(join(tmpdir(), 'switchyard-no-bench-'));
    try {
      const core = join(project, 'node_modules', '@switchyard', 'core');
      mkdirSync(core, { recursive: true });
      const root = fileURLToPath(new URL('..', import.meta.url));
      for (const part of ['package.json', 'bin', 'dist']) cpSync(join(root, part), join(core, part), { recursive: true });
      cpSync(join(cwd, 'fixtures', 'hello.mjs'), join(project, 'app.mjs'));
      const { code, stdout, stderr } = await cli(['bench', 'app.mjs', '--route', '/'], {}, { bin: join(core, 'bin', 'switchyard.js'), dir: project });
      expect(code).toBe(1);
      expect(stdout).toBe('');
      expect(stderr).toBe(
        'switchyard: The "switchyard bench" command needs the @switchyard/bench package, which is not installed. Install it with: npm install @switchyard/bench\n',
      );
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });

  it('exits 1 with the ERR_APP_NOT_FOUND message when the app file does not exist', async () => {
    const { code, stdout, stderr } = await cli(['serve', 'fixtures/missing.mjs']);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^switchyard: Invalid option "app": no module at .*missing\.mjs \(from "fixtures\/missing\.mjs"\)/);
    // One line, no stack trace.
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  it('exits 1 naming the accepted backends, from a flag or from SWITCHYARD_BACKEND', async () => {
    for (const run of [cli(['serve', 'fixtures/hello.mjs', '--backend', 'fibers']), cli(['serve', 'fixtures/hello.mjs'], { SWITCHYARD_BACKEND: 'fibers' })]) {
      const { code, stderr } = await run;
      expect(code).toBe(1);
      expect(stderr).toBe('switchyard: Invalid option "backend": expected one of "reactor", "pool", "cluster", "threads", got "fibers".\n');
    }
  });

  it('exits 1 on a bad --metrics or --log value, naming the option', async () => {
    const metrics = await cli(['serve', 'fixtures/hello.mjs', '--metrics', 'everywhere']);
    expect(metrics.code).toBe(1);
    expect(metrics.stderr).toContain('Invalid option "metrics": expected a port (1-65535)');
    const log = await cli(['serve', 'fixtures/hello.mjs', '--log=loud']);
    expect(log.code).toBe(1);
    expect(log.stderr).toContain(`Invalid option "log": expected 'info', 'debug' or false, got "loud"`);
  });

  it('exits 1 on a bad port, quoting what was typed', async () => {
    const { code, stderr } = await cli(['serve', 'fixtures/hello.mjs', '--port', '70000']);
    expect(code).toBe(1);
    expect(stderr).toContain('Invalid option "port": expected an integer from 0 to 65535, got "70000"');
  });
});
