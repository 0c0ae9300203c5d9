import { existsSync, readdirSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

// One project per workspace package that has tests. They run against built
// packages (`pnpm test` builds first): worker threads and child processes
// load the same built JavaScript users get.
const roots = ['packages', 'apps']
  .flatMap((dir) => (existsSync(dir) ? readdirSync(dir).map((name) => `${dir}/${name}`) : []))
  .concat('bench')
  .filter((root) => existsSync(`${root}/test`));

export default defineConfig({
  test: {
    projects: roots.map((root) => ({
      extends: true,
      test: {
        // The package's folder name, except where two share one (packages/bench, bench).
        name: root === 'bench' ? 'bench-suite' : root.split('/').pop()!,
        root,
        include: ['test/**/*.test.{ts,mts,js,mjs}'],
        // Once per project, before its files run in parallel: e.g. system packages the demo's tests drive.
        globalSetup: existsSync(`${root}/test/global-setup.ts`) ? ['test/global-setup.ts'] : [],
      },
    })),
    // Built packages and fixtures load through Node itself, not the test
    // transformer, so module URLs (with their query strings) behave as in production.
    server: { deps: { external: [/\/packages\/[^/]+\/(dist|fixtures)\//] } },
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
