import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchResult } from '../types.js';
import { htmlReport } from './html.js';
import { markdownReport } from './markdown.js';

export const REPORT_FILES = { json: 'results.json', markdown: 'results.md', html: 'report.html' } as const;

/** Writes results.json, results.md and report.html into `dir` (created if needed); returns their paths. */
export function writeReports(result: BenchResult, dir: string): { json: string; markdown: string; html: string } {
  mkdirSync(dir, { recursive: true });
  const paths = { json: join(dir, REPORT_FILES.json), markdown: join(dir, REPORT_FILES.markdown), html: join(dir, REPORT_FILES.html) };
  writeFileSync(paths.json, `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(paths.markdown, markdownReport(result));
  writeFileSync(paths.html, htmlReport(result));
  return paths;
}
