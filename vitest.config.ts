import { defineConfig } from 'vitest/config';

// Tests run against built packages (`pnpm test` builds first): worker threads
// and child processes load the same built JavaScript as users do.
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*', 'bench'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
