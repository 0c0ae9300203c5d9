/** The command's output: what ran, the table, the warnings, the recommendation. */
import { fmtFixed, fmtInt, fmtMs, fmtPct, markdownTable } from '../format.js';
import { byModelOrder } from '../models.js';
import type { BenchAppResult, ModelResult, RouteFinding, ScenarioResult } from '../types.js';

function note(scenario: ScenarioResult, entry: ModelResult, finding: RouteFinding | undefined): string {
  if (!entry.summary) return `failed: ${entry.problems[0] ?? 'not measured'}`;
  const notes: string[] = [];
  if (entry.model === scenario.baseline) notes.push('reference');
  if (finding?.clearlyFaster.includes(entry.model as never)) notes.push(`${finding.winner === entry.model ? '★ ' : ''}clearly faster`);
  if (entry.model === scenario.baseline && finding?.blocking) notes.push('blocks the event loop');
  if (!finding?.served.includes(entry.model as never)) notes.push(`${fmtPct(entry.errorRate ?? 1, 1)} of requests failed`);
  return notes.join('; ');
}

/** One markdown table: a row per route and model. */
export function appTable({ result, recommendation }: BenchAppResult): string {
  const probes = [...new Set(result.scenarios.map((s) => (s.probe ? `${s.probe.method} ${s.probe.path}` : undefined)).filter(Boolean))];
  const reference = result.scenarios[0]?.baseline ?? 'reactor';
  const header = ['route', 'model', 'req/s', `× ${reference}`, 'p99', 'CPU / req', ...(probes.length ? [`p99 of ${probes.join(', ')} beside`] : []), 'note'];
  const rows: string[][] = [];
  for (const scenario of result.scenarios) {
    const finding = recommendation.routes.find((r) => r.scenario === scenario.name);
    const entries = Object.values(scenario.models).sort(byModelOrder);
    entries.forEach((entry, i) => {
      const s = entry.summary;
      const spread = s && result.settings.runs > 1 ? ` ±${fmtPct(s.spread)}` : '';
      rows.push([
        i === 0 ? scenario.title : '',
        entry.model,
        s ? `${fmtInt(s.rps)}${spread}` : '—',
        entry.ratio ? fmtFixed(entry.ratio.rps) : '—',
        s ? fmtMs(s.p99Ms) : '—',
        s ? fmtMs(s.cpuUsPerReq / 1000) : '—',
        ...(probes.length ? [s?.probe ? fmtMs(s.probe.p99Ms) : '—'] : []),
        note(scenario, entry, finding),
      ]);
    });
  }
  const align = header.map((_, i) => (i < 2 || i === header.length - 1 ? 'l' : 'r')) as ('l' | 'r')[];
  return markdownTable(header, rows, align);
}

/**
 * What the ratio column means, under the table: each round pairs a model
 * with the reference run in the same round (run/summarize.ts, pairedRps),
 * so a ratio is not the quotient of the two req/s medians beside it. With
 * one round the two are the same, and nothing is said.
 */
function ratioNote(result: BenchAppResult['result']): string | undefined {
  const rounds = result.settings.runs;
  if (rounds < 2) return undefined;
  const reference = result.scenarios[0]?.baseline ?? 'reactor';
  return [
    `× ${reference}: each round, a model's req/s over that of the ${reference} run in the same round (a round runs each route's models`,
    `one after another, in a random order); the median over ${rounds} rounds. Not the quotient of the two req/s in the table, each a median of its own.`,
  ].join('\n');
}

/** The whole printed report. */
export function appReport(app: string, run: BenchAppResult): string {
  const { result, recommendation } = run;
  const s = result.settings;
  const connections = [...new Set(result.scenarios.map((scenario) => scenario.connections))].join('/');
  const note = ratioNote(result);
  const lines = [
    `switchyard bench ${app}: ${s.models.join(', ')}; ${s.runs} round${s.runs === 1 ? '' : 's'} of ${s.durationS} s after ${s.warmupS} s warm-up; ` +
      `${connections} connections; ${result.generator.version}; ${result.system.cores} x ${result.system.cpuModel}, Node ${result.system.node}`,
    '',
    appTable(run),
    // A blank line first: a line right under a markdown table would be read as one of its rows.
    ...(note ? ['', note] : []),
    '',
    ...recommendation.warnings.map((warning) => `warning: ${warning}`),
    ...(recommendation.warnings.length ? [''] : []),
    `recommendation: ${recommendation.reason}`,
    ...(run.out ? [`reports: ${run.out}`] : []),
  ];
  return `${lines.join('\n')}\n`;
}
