import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { signalWhileStarting } from '../../../test-support/signal-while-starting.mjs';
import { missing } from './conformance-options.js';

// From this package, where the CLI finds @switchyard/threads.
const cwd = fileURLToPath(new URL('..', import.meta.url));

describe.runIf(!missing)('threads under the CLI: SIGTERM while its threads start', () => {
  it('the server finishes starting, closes gracefully and exits 0', async () => {
    const ended = await signalWhileStarting({ cwd, args: ['--backend', 'threads', '--workers', '2'] });
    expect(ended, ended.output).toMatchObject({ code: 0, signal: null });
    expect(ended.output).toMatch(/SIGTERM while starting: closing once started[\s\S]*serving .* at http:[\s\S]*SIGTERM: closing/);
  }, 45_000);
});
