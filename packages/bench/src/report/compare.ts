/**
 * Two result folders side by side, so a regression shows. Ratios to the
 * baseline are compared first: they hold across machines and noisy minutes
 * far better than req/s.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fmtFixed, fmtInt, fmtMs, fmtPct, markdownTable } from '../format.js';
import { MODELS } from '../models.js';
import { MAX_ERROR_RATE } from '../run/summarize.js';
import type { BenchResult, ContenderName, ModelResult } from '../types.js';
import { validateResult } from './validate.js';
import { REPORT_FILES } from './write.js';

export type Verdict = 'regression' | 'improvement' | 'same' | 'within noise' | 'new' | 'gone';

export interface CompareRow {
  scenario: string;
  model: ContenderName;
  /** What was compared: the ratio to the baseline, or req/s for the baseline itself. */
  measure: 'ratio' | 'rps';
  before?: number;
  after?: number;
  /** after / before - 1. */
  change: number;
  p99Before?: number;
  p99After?: number;
  verdict: Verdict;
  why?: string;
}

export interface Comparison {
  rows: CompareRow[];
  /** Differences of machine, generator or settings that make figures less comparable. */
  caveats: string[];
  regressions: number;
  improvements: number;
}

export interface CompareOptions {
  /** A change smaller than this (as a fraction) is `same`. Default 0.1. */
  threshold?: number;
}

/** Reads `results.json` from a folder (or the file itself). */
export function readResult(path: string): BenchResult {
  const file = path.endsWith('.json') ? path : join(path, REPORT_FILES.json);
  const value = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  const problems = validateResult(value);
  if (problems.length) throw new Error(`${file} is not a valid bench result: ${problems.slice(0, 3).join('; ')}`);
  return value as BenchResult;
}

function caveats(a: BenchResult, b: BenchResult): string[] {
  const out: string[] = [];
  const differ = (what: string, x: unknown, y: unknown) => {
    if (JSON.stringify(x) !== JSON.stringify(y)) out.push(`${what} differ: ${JSON.stringify(x)} → ${JSON.stringify(y)}`);
  };
  differ('CPU models', a.system.cpuModel, b.system.cpuModel);
  differ('core counts', a.system.cores, b.system.cores);
  differ('Node versions', a.system.node, b.system.node);
  differ('generators', a.generator.version, b.generator.version);
  differ('runs', a.settings.runs, b.settings.runs);
  differ('durations', a.settings.durationS, b.settings.durationS);
  if (a.settings.runs < 3 || b.settings.runs < 3) out.push('a side has fewer than 3 runs per model: its figures are a pipeline check, not a measurement');
  return out;
}

function row(scenario: string, model: ContenderName, ratios: boolean, x: ModelResult | undefined, y: ModelResult | undefined, threshold: number): CompareRow {
  const measure = ratios ? 'ratio' : 'rps';
  const value = (e?: ModelResult) => (measure === 'rps' ? e?.summary?.rps : e?.ratio?.rps);
  const before = value(x);
  const after = value(y);
  const base = { scenario, model, measure, ...(before !== undefined && { before }), ...(after !== undefined && { after }) } as const;
  const p99 = { ...(x?.summary && { p99Before: x.summary.p99Ms }), ...(y?.summary && { p99After: y.summary.p99Ms }) };
  if (before === undefined || before === null)
    return { ...base, ...p99, change: Number.NaN, verdict: after === undefined ? 'gone' : 'new', ...(!x && { why: 'not run before' }) };
  if (after === undefined || after === null)
    return { ...base, ...p99, change: Number.NaN, verdict: 'gone', why: y ? `${y.status}: ${y.problems[0] ?? ''}` : 'not run after' };
  // Nothing answered on either side (a model that cannot serve this scenario): nothing changed.
  const change = before === after ? 0 : after / before - 1;
  const errorsBefore = x?.errorRate ?? 0;
  const errorsAfter = y?.errorRate ?? 0;
  if (errorsAfter > MAX_ERROR_RATE && errorsBefore <= MAX_ERROR_RATE) {
    return { ...base, ...p99, change, verdict: 'regression', why: `failed requests rose to ${fmtPct(errorsAfter, 1)}` };
  }
  if (Math.abs(change) < threshold) return { ...base, ...p99, change, verdict: 'same' };
  // Beyond the threshold, but the runs of both sides overlap: the machine's noise can explain it.
  const range = (e?: ModelResult) => (measure === 'rps' ? [e?.summary?.rpsMin, e?.summary?.rpsMax] : [e?.ratio?.rpsMin, e?.ratio?.rpsMax]);
  const [aMin, aMax] = range(x);
  const [bMin, bMax] = range(y);
  if (aMin !== undefined && aMax !== undefined && bMin !== undefined && bMax !== undefined && bMax >= aMin && bMin <= aMax) {
    return { ...base, ...p99, change, verdict: 'within noise', why: 'the runs of both sides overlap' };
  }
  return { ...base, ...p99, change, verdict: change < 0 ? 'regression' : 'improvement' };
}

export function compareResults(a: BenchResult, b: BenchResult, { threshold = 0.1 }: CompareOptions = {}): Comparison {
  const rows: CompareRow[] = [];
  const differentBaselines: string[] = [];
  const names = [...new Set([...a.scenarios.map((s) => s.name), ...b.scenarios.map((s) => s.name)])];
  for (const name of names) {
    const x = a.scenarios.find((s) => s.name === name);
    const y = b.scenarios.find((s) => s.name === name);
    // Ratios compare only over the same baseline; otherwise, and for the baseline itself, req/s.
    const sameBaseline = !x || !y || x.baseline === y.baseline;
    if (!sameBaseline) differentBaselines.push(`${name}: ${x!.baseline} → ${y!.baseline}`);
    const baseline = (y ?? x)!.baseline;
    // The models in their usual order, then any contender either run measured.
    const models = new Set<ContenderName>([...MODELS, ...Object.keys(x?.models ?? {}), ...Object.keys(y?.models ?? {})]);
    for (const model of models) {
      if (!x?.models[model] && !y?.models[model]) continue;
      rows.push(row(name, model, sameBaseline && model !== baseline, x?.models[model], y?.models[model], threshold));
    }
  }
  return {
    rows,
    caveats: [
      ...caveats(a, b),
      ...(differentBaselines.length ? [`baselines differ, so req/s are compared instead of ratios (${differentBaselines.join('; ')})`] : []),
    ],
    regressions: rows.filter((r) => r.verdict === 'regression').length,
    improvements: rows.filter((r) => r.verdict === 'improvement').length,
  };
}

export function compareMarkdown(comparison: Comparison, labels: { before: string; after: string }): string {
  const fmt = (r: CompareRow, v?: number) => (v === undefined ? '—' : r.measure === 'rps' ? `${fmtInt(v)} req/s` : `${fmtFixed(v)} ×`);
  const table = markdownTable(
    ['scenario', 'model', 'before', 'after', 'change', 'p99 before', 'p99 after', 'verdict'],
    comparison.rows.map((r) => [
      r.scenario,
      r.model,
      fmt(r, r.before),
      fmt(r, r.after),
      Number.isFinite(r.change) ? `${r.change >= 0 ? '+' : ''}${fmtPct(r.change, 1)}` : '—',
      r.p99Before === undefined ? '—' : fmtMs(r.p99Before),
      r.p99After === undefined ? '—' : fmtMs(r.p99After),
      r.verdict === 'regression' ? `**REGRESSION**${r.why ? ` (${r.why})` : ''}` : `${r.verdict}${r.why ? ` (${r.why})` : ''}`,
    ]),
    ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'l'],
  );
  return [
    `# Bench comparison`,
    '',
    `before: \`${labels.before}\`  `,
    `after: \`${labels.after}\``,
    '',
    'Models are compared by their req/s ratio to the baseline (which holds across machines and noisy minutes); the baseline itself by req/s.',
    '',
    table,
    '',
    `${comparison.regressions} regression(s), ${comparison.improvements} improvement(s).`,
    ...(comparison.caveats.length ? ['', 'Caveats:', '', ...comparison.caveats.map((c) => `- ${c}`)] : []),
    '',
  ].join('\n');
}
