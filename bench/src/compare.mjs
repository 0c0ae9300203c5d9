/**
 * `pnpm bench:compare A B`: what changed from run A to run B, as markdown.
 * A and B are result folders (paths, or names under bench/results).
 *
 *   node src/compare.mjs A B [--threshold 0.1] [--fail-on-regression]
 */
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { compareMarkdown, compareResults, readResult } from '@switchyard/bench';
import { resultFolder } from './matrix/folders.mjs';

const HELP = `Usage: pnpm bench:compare BEFORE AFTER [--threshold 0.1] [--fail-on-regression]

BEFORE and AFTER are result folders: paths, or folder names under bench/results.
Models are compared by their req/s ratio to the baseline, which holds across
noisy minutes far better than req/s; a change below the threshold (a fraction)
reads "same", and one whose runs overlap on both sides "within noise".`;

export function main(argv = process.argv.slice(2)) {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { threshold: { type: 'string' }, 'fail-on-regression': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
  });
  if (values.help) return void console.log(HELP);
  if (positionals.length !== 2) throw new TypeError(`expected two result folders, BEFORE and AFTER (got ${positionals.length})`);
  const threshold = values.threshold === undefined ? 0.1 : Number(values.threshold);
  if (!Number.isFinite(threshold) || threshold < 0 || threshold >= 1)
    throw new TypeError(`--threshold must be a fraction from 0 to 1 (got ${JSON.stringify(values.threshold)})`);
  const [before, after] = positionals.map(resultFolder);
  const comparison = compareResults(readResult(before), readResult(after), { threshold });
  process.stdout.write(compareMarkdown(comparison, { before, after }));
  if (values['fail-on-regression'] && comparison.regressions > 0) process.exitCode = 1;
  return comparison;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    main();
  } catch (error) {
    console.error(`bench:compare: ${error.message}${error instanceof TypeError ? `\n\n${HELP}` : ''}`);
    process.exitCode = 2;
  }
}
