import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * The deploy guide's unit file and Dockerfile, checked as far as this
 * machine allows (no systemd, no Docker): they parse, and they say what the
 * guide says they do.
 */
const read = (name: string) => readFileSync(new URL(`../../../docs/deploy/${name}`, import.meta.url), 'utf8');

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
});
