import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isWatchedSource, watchApp } from '../src/watch.js';

describe('serve --watch', () => {
  it('reloads for source files, not for node_modules, dot-folders or other files', () => {
    for (const file of ['app.mjs', 'src/routes/a.ts', 'lib/x.cjs', 'data.json', 'ui/page.tsx']) expect(isWatchedSource(file), file).toBe(true);
    for (const file of ['node_modules/pkg/index.js', '.git/index', '.cache/x.js', 'notes.md', 'app.mjs.swp', 'public/logo.svg'])
      expect(isWatchedSource(file), file).toBe(false);
  });

  it("calls back once for a burst of writes in the app's folder, and not for an ignored file", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchyard-watch-'));
    mkdirSync(join(dir, 'lib'));
    const app = join(dir, 'app.mjs');
    writeFileSync(app, 'export default {};\n');
    const seen: string[] = [];
    const watcher = watchApp(app, (file) => seen.push(file));
    try {
      writeFileSync(join(dir, 'notes.md'), 'x');
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(seen).toEqual([]);
      for (let i = 0; i < 3; i++) writeFileSync(join(dir, 'lib', 'routes.js'), `// ${i}\n`);
      for (let i = 0; i < 50 && seen.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 50));
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(seen).toEqual([join(dir, 'lib', 'routes.js')]);
    } finally {
      watcher.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
