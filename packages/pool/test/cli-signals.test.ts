import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { signalWhileStarting } from '../../../test-support/signal-while-starting.mjs';

// From this package, where the CLI finds @switchyard/pool.
const cwd = fileURLToPath(new URL('..', import.meta.url));
const args = ['--backend', 'pool', '--workers', '2'];

describe('pool under the CLI: a signal while its threads start', () => {
  it('SIGTERM: the server finishes starting, closes gracefully and exits 0', async () => {
    const ended = await signalWhileStarting({ cwd, args });
    expect(ended, ended.output).toMatchObject({ code: 0, signal: null });
    expect(ended.output).toMatch(/SIGTERM while starting: closing once started[\s\S]*serving .* at http:[\s\S]*SIGTERM: closing/);
  }, 45_000);

  it('SIGINT: the same, as from a terminal', async () => {
    const ended = await signalWhileStarting({ cwd, args, signal: 'SIGINT' });
    expect(ended, ended.output).toMatchObject({ code: 0, signal: null });
    expect(ended.output).toMatch(/SIGINT: closing/);
  }, 45_000);

  it('SIGHUP: kept, and reloads once started', async () => {
    const ended = await signalWhileStarting({ cwd, args, signal: 'SIGHUP', stopOnceOutput: /SIGHUP: / });
    expect(ended, ended.output).toMatchObject({ code: 0, signal: null });
    expect(ended.output).toMatch(/serving .* at http:[\s\S]*SIGHUP: /);
  }, 45_000);
});
