import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { signalWhileStarting } from '../../../test-support/signal-while-starting.mjs';

// From this package, where the CLI finds @switchyard/reactor.
const cwd = fileURLToPath(new URL('..', import.meta.url));

describe('reactor under the CLI: SIGTERM while the app starts', () => {
  it.each([
    ['supervised', ['--backend', 'reactor']],
    ['without the supervisor', ['--backend', 'reactor', '--no-supervisor']],
  ])(
    '%s: the server finishes starting, closes gracefully and exits 0',
    async (_name, args) => {
      const ended = await signalWhileStarting({ cwd, args });
      expect(ended, ended.output).toMatchObject({ code: 0, signal: null });
      expect(ended.output).toMatch(/SIGTERM while starting: closing once started[\s\S]*serving .* at http:[\s\S]*SIGTERM: closing/);
    },
    45_000,
  );
});
