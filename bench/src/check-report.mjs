/**
 * `pnpm bench:check [DIR]`: exits 0 when a result folder holds a complete,
 * valid report (results.json, results.md, report.html with its charts),
 * whatever its figures say. CI runs it after `pnpm bench --quick`.
 * Without DIR it checks the newest folder under bench/results.
 *
 *   node src/check-report.mjs [DIR] [--strict]
 * --strict also fails when a model could not be measured (a wrong answer, or every run failed).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { failedModels, validateReportDir } from '@switchyard/bench';
import { newestResultFolder, resultFolder } from './matrix/folders.mjs';

const HELP = `Usage: pnpm bench:check [DIR] [--strict]      (from bench/: node src/check-report.mjs [DIR] [--strict])

Exits 0 when DIR (a path, or a folder name under bench/results; default: the
newest there) holds a complete, valid report, whatever its figures say.

  --strict            also exit 1 when a model could not be measured
  -h, --help          this help`;

try {
  const { values, positionals } = parseArgs({ options: { strict: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: true });
  if (values.help) {
    console.log(HELP);
    process.exit(0);
  }
  if (positionals.length > 1) throw new TypeError(`expected at most one result folder (got ${positionals.length})`);
  const dir = positionals[0] ? resultFolder(positionals[0]) : newestResultFolder();
  const problems = validateReportDir(dir);
  if (problems.length) {
    console.error(`bench:check: ${dir} is not a valid report:\n  ${problems.join('\n  ')}`);
    process.exitCode = 1;
  } else {
    const result = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
    const failed = failedModels(result);
    const models = result.scenarios.reduce((n, s) => n + Object.keys(s.models).length, 0);
    console.log(
      `bench:check: ${dir} is valid: ${result.scenarios.length} scenarios, ${models} scenario-model results, generator ${result.generator.version}, classic ${result.classic?.status ?? 'not asked'}`,
    );
    if (failed.length) {
      console.error(`bench:check: ${failed.length} could not be measured:\n  ${failed.join('\n  ')}`);
      if (values.strict) process.exitCode = 1;
    }
  }
} catch (error) {
  console.error(`bench:check: ${error.message}`);
  process.exitCode = 2;
}
