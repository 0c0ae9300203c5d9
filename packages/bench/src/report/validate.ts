/**
 * Checks that a result and its report folder are complete and well formed,
 * never what the figures are: CI runs the quick profile and asserts this.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MODELS } from '../models.js';
import type { BenchResult } from '../types.js';
import { probeProblems } from './validate-isolation.js';
import { REPORT_FILES } from './write.js';

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
/** A figure: a number (NaN where nothing was answered), which JSON writes as null. */
const isFigure = (v: unknown) => v === null || typeof v === 'number';

/** Why `value` is not a valid BenchResult; empty when it is. */
export function validateResult(value: unknown): string[] {
  const problems: string[] = [];
  if (!isObject(value)) return ['results.json does not hold an object'];
  if (value.schema !== 'switchyard-bench/1') problems.push(`schema is ${JSON.stringify(value.schema)}, expected "switchyard-bench/1"`);
  for (const key of ['started', 'finished'])
    if (typeof value[key] !== 'string' || Number.isNaN(Date.parse(value[key] as string))) problems.push(`${key} is not a date`);
  const system = value.system;
  if (!isObject(system)) problems.push('system is missing');
  else {
    if (typeof system.cpuModel !== 'string') problems.push('system.cpuModel is missing');
    if (typeof system.cores !== 'number' || system.cores < 1) problems.push('system.cores is missing');
    if (typeof system.node !== 'string') problems.push('system.node is missing');
  }
  const generator = value.generator;
  if (!isObject(generator) || !['autocannon', 'wrk'].includes(generator.name as string) || typeof generator.version !== 'string') {
    problems.push('generator must name autocannon or wrk and its version');
  }
  const settings = value.settings;
  if (!isObject(settings) || typeof settings.runs !== 'number' || typeof settings.seed !== 'number' || !Array.isArray(settings.models)) {
    problems.push('settings must hold runs, seed and models');
  }
  if (!Array.isArray(value.scenarios) || value.scenarios.length === 0) {
    problems.push('scenarios is empty');
    return problems;
  }
  // The models, and the contenders the run recorded.
  const known = new Set<string>([...MODELS, ...Object.keys(isObject(settings) && isObject(settings.contenders) ? settings.contenders : {})]);
  for (const scenario of value.scenarios as unknown[]) {
    if (!isObject(scenario) || typeof scenario.name !== 'string') {
      problems.push('a scenario has no name');
      continue;
    }
    const at = `scenario ${scenario.name}`;
    if (!isObject(scenario.models) || Object.keys(scenario.models).length === 0) {
      problems.push(`${at}: no models`);
      continue;
    }
    if (scenario.best !== undefined && !((scenario.best as string) in scenario.models)) problems.push(`${at}: best names a model that did not run`);
    problems.push(...probeProblems(at, scenario));
    if (scenario.pairs !== undefined) {
      if (!Array.isArray(scenario.pairs)) problems.push(`${at}: pairs is not an array`);
      else {
        for (const pair of scenario.pairs as unknown[]) {
          if (!isObject(pair) || typeof pair.label !== 'string' || !isFigure(pair.rps)) problems.push(`${at}: a pair without a label or a req/s ratio`);
          else if (!(String(pair.model) in scenario.models) || !(String(pair.over) in scenario.models))
            problems.push(`${at}: pair ${pair.label} names a model that did not run`);
        }
      }
    }
    for (const [model, entry] of Object.entries(scenario.models)) {
      if (!known.has(model)) problems.push(`${at}: unknown model ${model}`);
      if (!isObject(entry) || !['ok', 'failed', 'skipped'].includes(entry.status as string)) {
        problems.push(`${at} ${model}: no status`);
        continue;
      }
      if (!Array.isArray(entry.samples)) problems.push(`${at} ${model}: no samples array`);
      if (entry.status !== 'ok') continue;
      const summary = entry.summary;
      if (!isObject(summary)) {
        problems.push(`${at} ${model}: ok but no summary`);
        continue;
      }
      for (const key of ['rps', 'rpsMin', 'rpsMax', 'p50Ms', 'p99Ms', 'maxMs', 'errors', 'non2xx', 'timeouts', 'cpuUsPerReq', 'peakRssBytes']) {
        if (!isFigure(summary[key])) problems.push(`${at} ${model}: summary.${key} is not a number`);
      }
      if (typeof summary.rps === 'number' && summary.rps < 0) problems.push(`${at} ${model}: negative req/s`);
      if (scenario.kind === 'idle' && !isObject(summary.idle)) problems.push(`${at} ${model}: idle scenario without idle figures`);
    }
  }
  if (value.classic !== undefined) {
    const classic = value.classic;
    if (!isObject(classic) || !['ran', 'skipped'].includes(classic.status as string)) problems.push('classic has no status');
    else if (classic.status === 'skipped' && typeof classic.reason !== 'string') problems.push('classic was skipped without a reason');
  }
  return problems;
}

/** Models that could not be measured, for a strict check. */
export function failedModels(result: BenchResult): string[] {
  const failed: string[] = [];
  for (const scenario of result.scenarios) {
    for (const entry of Object.values(scenario.models)) {
      if (entry.status === 'failed') failed.push(`${scenario.name} ${entry.model}: ${entry.problems[0] ?? 'failed'}`);
    }
  }
  for (const entry of Object.values(result.classic?.models ?? {})) {
    if (entry.status === 'failed') failed.push(`classic ${entry.model}: ${entry.problems[0] ?? 'failed'}`);
  }
  return failed;
}

/** Why the report folder `dir` is not complete and valid; empty when it is. */
export function validateReportDir(dir: string): string[] {
  const path = (name: string) => join(dir, name);
  const missing = Object.values(REPORT_FILES).filter((name) => !existsSync(path(name)));
  if (missing.length) return missing.map((name) => `${name} is missing from ${dir}`);
  let result: unknown;
  try {
    result = JSON.parse(readFileSync(path(REPORT_FILES.json), 'utf8'));
  } catch (error) {
    return [`${REPORT_FILES.json} is not JSON: ${(error as Error).message}`];
  }
  const problems = validateResult(result);
  if (problems.length) return problems;
  const scenarios = (result as BenchResult).scenarios;
  const markdown = readFileSync(path(REPORT_FILES.markdown), 'utf8');
  for (const scenario of scenarios) {
    if (!markdown.includes(`## ${scenario.name}:`)) problems.push(`${REPORT_FILES.markdown} has no section for ${scenario.name}`);
  }
  if (!/\n\| *model *\|/.test(markdown)) problems.push(`${REPORT_FILES.markdown} has no table`);
  const html = readFileSync(path(REPORT_FILES.html), 'utf8');
  if (!html.includes('Chart.js v4')) problems.push(`${REPORT_FILES.html} does not inline Chart.js 4`);
  if (/<script[^>]+src=/.test(html)) problems.push(`${REPORT_FILES.html} loads a script from elsewhere: it must open offline`);
  const data = /<script id="bench-data" type="application\/json">([\s\S]*?)<\/script>/.exec(html);
  if (!data) problems.push(`${REPORT_FILES.html} has no embedded data`);
  else {
    try {
      JSON.parse(data[1]!);
    } catch {
      problems.push(`${REPORT_FILES.html}'s embedded data is not JSON`);
    }
  }
  for (let i = 0; i < scenarios.length; i++) {
    if (!html.includes(`id="rps-${i}"`) || !html.includes(`id="p99-${i}"`)) problems.push(`${REPORT_FILES.html} lacks the charts of ${scenarios[i]!.name}`);
  }
  if (scenarios.some((s) => s.kind === 'idle') && !html.includes('id="idle-0"')) problems.push(`${REPORT_FILES.html} lacks the idle memory chart`);
  if (scenarios.some((s) => s.isolation)) {
    if (!markdown.includes('\n## Isolation\n')) problems.push(`${REPORT_FILES.markdown} has no isolation table`);
    if (!html.includes('id="isolation-p99-0"') || !html.includes('id="isolation-rps-0"')) problems.push(`${REPORT_FILES.html} lacks the isolation charts`);
  }
  return problems;
}
