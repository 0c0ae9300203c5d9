/**
 * The report's tables as plain rows, rendered as markdown or HTML by the
 * writers, so both say the same thing.
 */
import { fmtFixed, fmtInt, fmtKiB, fmtMiB, fmtMs, fmtPct } from '../format.js';
import { byModelOrder, lineup } from '../models.js';
import { MAX_ERROR_RATE } from '../run/summarize.js';
import type { BenchResult, ClassicResult, ModelResult, ScenarioResult } from '../types.js';

export interface Table {
  header: string[];
  align: ('l' | 'r')[];
  rows: string[][];
  /** Row indexes to emphasise (the best model). */
  strong: number[];
}

/** Why a model is or is not the answer, in a few words. */
export function verdict(scenario: ScenarioResult, entry: ModelResult): string {
  if (entry.status === 'failed') return `failed: ${entry.problems[0] ?? 'no run completed'}`;
  if (entry.status === 'skipped') return `skipped: ${entry.problems[0] ?? ''}`;
  if (!entry.summary) return 'not measured';
  const notes: string[] = [];
  if (scenario.best === entry.model) notes.push('★ best');
  else if (scenario.tiedWithBest.includes(entry.model)) notes.push('≈ best (ranges overlap)');
  if (entry.model === scenario.baseline) notes.push('reference');
  if ((entry.errorRate ?? 0) > MAX_ERROR_RATE) notes.push(`${fmtPct(entry.errorRate!, 1)} failed requests`);
  const idle = entry.summary.idle;
  if (idle && idle.held < idle.requested) notes.push(`held ${fmtInt(idle.held)} of ${fmtInt(idle.requested)} idle`);
  if (entry.problems.length) notes.push(`${entry.problems.length} run(s) failed`);
  return notes.join('; ');
}

export function scenarioTable(scenario: ScenarioResult): Table {
  const idle = scenario.kind === 'idle';
  const header = [
    'model',
    'req/s',
    `× ${scenario.baseline}`,
    'spread (min–max)',
    ...(idle ? ['idle held', 'memory / idle conn'] : []),
    'p50',
    'p99',
    ...(scenario.probe
      ? [`p99 of ${scenario.probe.method} ${scenario.probe.path}${scenario.probe.on === 'metrics' ? ' on the metrics port' : ''} beside`]
      : []),
    'max',
    'errors',
    'non-2xx',
    'timeouts',
    'CPU / req',
    'server cores',
    'peak RSS',
    'verdict',
  ];
  const align = header.map((_, i) => (i === 0 || i === header.length - 1 ? 'l' : 'r')) as ('l' | 'r')[];
  const entries = Object.values(scenario.models).sort(byModelOrder);
  const rows = entries.map((entry) => {
    const s = entry.summary;
    if (!s) return [entry.model, ...header.slice(1, -1).map(() => '—'), verdict(scenario, entry)];
    const spread = `${fmtInt(s.rpsMin)}–${fmtInt(s.rpsMax)} (±${fmtPct(s.spread)})`;
    return [
      entry.model,
      fmtInt(s.rps),
      entry.ratio ? fmtFixed(entry.ratio.rps) : '—',
      spread,
      ...(idle ? [s.idle ? `${fmtInt(s.idle.held)}/${fmtInt(s.idle.requested)}` : '—', s.idle ? fmtKiB(s.idle.bytesPerConnection) : '—'] : []),
      fmtMs(s.p50Ms),
      fmtMs(s.p99Ms),
      ...(scenario.probe ? [s.probe ? fmtMs(s.probe.p99Ms) : '—'] : []),
      fmtMs(s.maxMs),
      fmtInt(s.errors),
      fmtInt(s.non2xx),
      fmtInt(s.timeouts),
      `${fmtFixed(s.cpuUsPerReq, 1)} µs`,
      fmtFixed(s.serverCores),
      fmtMiB(s.peakRssBytes),
      verdict(scenario, entry),
    ];
  });
  const strong = entries.map((e, i) => (e.model === scenario.best ? i : -1)).filter((i) => i >= 0);
  return { header, align, rows, strong };
}

/** Scenarios down, models across: each cell the req/s ratio to the baseline, the best marked. */
export function summaryTable(result: BenchResult): Table {
  const models = lineup(result);
  const header = ['scenario', ...models, 'best'];
  const rows = result.scenarios.map((scenario) => [
    scenario.name,
    ...models.map((model) => {
      const entry = scenario.models[model];
      if (!entry) return '';
      if (!entry.summary) return entry.status;
      const ratio = entry.ratio ? fmtFixed(entry.ratio.rps) : fmtInt(entry.summary.rps);
      const flagged = (entry.errorRate ?? 0) > MAX_ERROR_RATE ? ' !' : '';
      return `${ratio}${flagged}${scenario.best === model ? ' ★' : ''}`;
    }),
    scenario.best ? `${scenario.best}${scenario.tiedWithBest.length ? ` (≈ ${scenario.tiedWithBest.join(', ')})` : ''}` : '—',
  ]);
  return { header, align: header.map((_, i) => (i === 0 || i === header.length - 1 ? 'l' : 'r')), rows, strong: [] };
}

/** Scenarios down, models across: each cell the median req/s, as measured. */
export function throughputTable(result: BenchResult): Table {
  const models = lineup(result);
  const header = ['scenario', ...models];
  const rows = result.scenarios.map((scenario) => [
    scenario.name,
    ...models.map((model) => {
      const entry = scenario.models[model];
      if (!entry) return '';
      return entry.summary ? fmtInt(entry.summary.rps) : entry.status;
    }),
  ]);
  return { header, align: header.map((_, i) => (i === 0 ? 'l' : 'r')), rows, strong: [] };
}

export function classicTable(classic: ClassicResult): Table {
  const header = [
    'model',
    'req/s (ab)',
    'spread (min–max)',
    'failed requests',
    'of which connect / receive / length / exceptions',
    'non-2xx',
    'p50',
    'p99',
    'longest',
  ];
  const entries = Object.values(classic.models).sort(byModelOrder);
  const rows = entries.map((entry) => {
    const s = entry.summary;
    if (!s) return [entry.model, entry.status, entry.problems[0] ?? '', '', '', '', '', '', ''];
    const last = entry.samples.at(-1)!;
    const d = last.failedDetail;
    const failed =
      s.failedMin === s.failedMax ? `${fmtInt(s.failed)} / ${classic.requests}` : `${fmtInt(s.failed)} / ${classic.requests} (${s.failedMin}–${s.failedMax})`;
    return [
      entry.model,
      fmtInt(s.rps),
      `${fmtInt(s.rpsMin)}–${fmtInt(s.rpsMax)}`,
      failed,
      `${d.connect} / ${d.receive} / ${d.length} / ${d.exceptions}`,
      fmtInt(last.non2xx),
      fmtMs(s.p50Ms),
      fmtMs(s.p99Ms),
      fmtMs(s.maxMs),
    ];
  });
  return { header, align: header.map((_, i) => (i === 0 ? 'l' : 'r')), rows, strong: [] };
}

/** Below this many cores of server CPU, the reference was not the bottleneck: the generator (or a neighbour) was. */
const SATURATED_CORES = 0.6;

/** Sentences that qualify a scenario's figures. */
export function scenarioNotes(scenario: ScenarioResult, generator: string): string[] {
  const notes: string[] = [];
  const reference = scenario.models[scenario.baseline]?.summary;
  if (reference && reference.serverCores < SATURATED_CORES) {
    notes.push(
      `The reference used ${fmtFixed(reference.serverCores)} cores: ${generator}, not the server, was the bottleneck here, so req/s ratios say little; compare CPU / req, which does not depend on the generator.`,
    );
  }
  for (const entry of Object.values(scenario.models).sort(byModelOrder)) {
    if (entry.problems.length) notes.push(`${entry.model}: ${entry.problems.slice(0, 3).join('; ')}`);
  }
  return notes;
}
