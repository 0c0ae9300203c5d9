import { readFileSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { appFolder, dockerMissing, execOptions, run, serveFiles } from './support/docker.js';

/**
 * The deploy guide's unit file and Dockerfile: they parse, and they say what
 * the guide says they do. Where a Docker daemon answers, the Dockerfile is
 * also built and its image run; elsewhere that test says why it did not.
 */
const read = (name: string) => readFileSync(new URL(`../../../docs/deploy/${name}`, import.meta.url), 'utf8');
const dockerfile = fileURLToPath(new URL('../../../docs/deploy/Dockerfile', import.meta.url));
const noDocker = dockerMissing();

/** The body of `url` once it answers 200; tries for up to 30 s while the container starts. */
async function answer(url: string): Promise<string> {
  let last: unknown;
  for (let attempt = 0; attempt < 150; attempt++) {
    try {
      const response = await fetch(url);
      if (response.status === 200) return await response.text();
      last = `status ${response.status}`;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not answer 200: ${String(last)}`);
}

/** An INI-style unit file: section -> key -> values (keys may repeat). */
function parseUnit(text: string): Map<string, Map<string, string[]>> {
  const sections = new Map<string, Map<string, string[]>>();
  let current: Map<string, string[]> | undefined;
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const section = /^\[(\w+)\]$/.exec(line);
    if (section) {
      current = new Map();
      sections.set(section[1]!, current);
      continue;
    }
    const entry = /^(\w+)=(.*)$/.exec(line);
    if (!entry || !current) throw new Error(`line ${i + 1} is neither a section nor key=value: ${raw}`);
    current.set(entry[1]!, [...(current.get(entry[1]!) ?? []), entry[2]!]);
  }
  return sections;
}

function graceSeconds(args: string): number {
  const grace = /--grace-ms (\d+)/.exec(args);
  if (!grace) throw new Error(`no --grace-ms in ${args}`);
  return Number(grace[1]) / 1000;
}

describe('the deploy guide files', () => {
  it('the systemd unit runs the bin itself, stops with SIGTERM, and waits longer than the grace period', () => {
    const unit = parseUnit(read('switchyard.service'));
    expect([...unit.keys()]).toEqual(['Unit', 'Service', 'Install']);
    const service = unit.get('Service')!;
    const [exec] = service.get('ExecStart')!;
    expect(exec).toMatch(/^\/\S+\/node_modules\/\.bin\/switchyard serve \S+/);
    expect(service.get('KillSignal')).toEqual(['SIGTERM']);
    expect(Number(service.get('TimeoutStopSec')![0])).toBeGreaterThan(graceSeconds(exec!));
    expect(service.get('ExecReload')![0]).toContain('-HUP $MAINPID');
    expect(service.get('Environment')).toEqual(expect.arrayContaining(['HOST=0.0.0.0']));
    expect(service.get('User')![0]).not.toBe('root');
  });

  it('the Dockerfile has two stages, runs as a user other than root on 0.0.0.0, and starts the bin in exec form', () => {
    const lines = read('Dockerfile')
      .split('\n')
      .filter((line) => line.trim() !== '' && !line.trim().startsWith('#'));
    const instructions = lines.map((line) => /^([A-Z]+)\s/.exec(line)?.[1]);
    expect(instructions.every((word) => word !== undefined && ['FROM', 'WORKDIR', 'COPY', 'RUN', 'ENV', 'USER', 'EXPOSE', 'CMD'].includes(word))).toBe(true);
    expect(instructions.filter((word) => word === 'FROM')).toHaveLength(2);
    const user = lines.filter((line) => line.startsWith('USER '));
    expect(user).toHaveLength(1);
    expect(user[0]).not.toMatch(/root|\b0\b/);
    expect(lines.find((line) => line.startsWith('ENV '))).toContain('HOST=0.0.0.0');
    const cmd = lines.find((line) => line.startsWith('CMD '))!;
    const args = JSON.parse(cmd.slice(4)) as string[];
    expect(args.slice(0, 2)).toEqual(['node_modules/.bin/switchyard', 'serve']);
    expect(graceSeconds(args.join(' '))).toBeLessThanOrEqual(10);
  });

  if (noDocker) {
    it(`the Dockerfile is not built here (${noDocker}): the checks above are what this machine can do`, () => {
      expect(noDocker).toMatch(/docker/);
    });
  } else {
    it('the Dockerfile builds with docker, and its image serves on the published port as node, and exits 0 on docker stop', async () => {
      const root = await mkdtemp(join(tmpdir(), 'switchyard-docker-'));
      const app = join(root, 'app');
      await mkdir(app);
      const packed = join(root, 'packed');
      const files = await serveFiles(packed);
      const tag = `switchyard-deploy-test:${process.pid}`;
      let container: string | undefined;
      try {
        await appFolder(app, packed, files.url);
        // As the guide's header says: the Dockerfile in the app's folder, built from there. npm in the
        // build fetches the packed packages from this machine's loopback, so the build needs the host's network.
        await copyFile(dockerfile, join(app, 'Dockerfile'));
        await run('docker', ['build', '--network', 'host', '-f', 'Dockerfile', '-t', tag, '.'], { ...execOptions, cwd: app, timeout: 480_000 });
        const { stdout: user } = await run('docker', ['image', 'inspect', '--format', '{{.Config.User}}', tag], execOptions);
        expect(user.trim()).toBe('node');
        container = (await run('docker', ['run', '-d', '-p', '127.0.0.1::3000', tag], execOptions)).stdout.trim();
        const { stdout: published } = await run('docker', ['port', container, '3000/tcp'], execOptions);
        expect(await answer(`http://${published.trim().split('\n')[0]}/hello`)).toBe('in a container /hello');
        // A server that missed SIGTERM would be killed after the 20 s, with 137.
        await run('docker', ['stop', '-t', '20', container], execOptions);
        const { stdout: exit } = await run('docker', ['inspect', '--format', '{{.State.ExitCode}}', container], execOptions);
        expect(exit.trim()).toBe('0');
      } finally {
        if (container) await run('docker', ['rm', '-f', container], execOptions).catch(() => {});
        await run('docker', ['image', 'rm', '-f', tag], execOptions).catch(() => {});
        await files.close();
        await rm(root, { recursive: true, force: true });
      }
    }, 600_000);
  }
});
