import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
let source: string | undefined;

/**
 * Chart.js's UMD build, to inline into the HTML so the report opens
 * offline. The package's exports map does not list the file, so it is found
 * beside the package's main entry.
 */
export function chartJsSource(): string {
  source ??= readFileSync(join(dirname(require.resolve('chart.js')), 'chart.umd.min.js'), 'utf8');
  // Nothing in it may end the inline <script> early.
  return source.replace(/<\/(script)/gi, '<\\/$1');
}
