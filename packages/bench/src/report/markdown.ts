/** The markdown report: a summary matrix, a table per scenario, the classic experiment. */
import { fmtDuration, fmtFixed, fmtInt, markdownTable } from '../format.js';
import { contenderNote, lineup } from '../models.js';
import type { BenchResult } from '../types.js';
import { classicExplanation } from './classic-text.js';
import { isolationCells, isolationLegend, isolationTable } from './isolation.js';
import { pairsTable } from './pairs.js';
import { classicTable, scenarioNotes, scenarioTable, summaryTable, throughputTable, type Table } from './tables.js';

function render(table: Table): string {
  const rows = table.rows.map((row, i) => (table.strong.includes(i) ? row.map((cell, j) => (j === 0 ? `**${cell}**` : cell)) : row));
  return markdownTable(table.header, rows, table.align);
}

/** The reports' heading. */
export const reportTitle = (result: BenchResult) => result.settings.title ?? 'Switchyard bench';

/** The settings and machine in a sentence or two. */
export function describeRun(result: BenchResult): string {
  const { system: m, settings: s } = result;
  const gib = (bytes: number) => `${(bytes / 2 ** 30).toFixed(1)} GiB`;
  return (
    `Machine: ${m.cores} cores (${m.cpuModel}), ${gib(m.memoryBytes)}, ${m.platform}, Node ${m.node}; load average ${m.loadavgStart.join(' ')} at start` +
    `${m.loadavgEnd ? `, ${m.loadavgEnd.join(' ')} at end` : ''}. Generator: ${result.generator.version} (${result.generator.command}). ` +
    `${s.profile ? `Profile \`${s.profile}\`: ` : ''}${s.runs} timed run(s) of ${s.durationS} s per model and scenario, each after a correctness check and ${s.warmupS} s of discarded warm-up; ` +
    `${s.fresh === 'run' ? 'a fresh server process for every run' : 'a fresh server process per model and round'}; ` +
    `${s.quiet ? `each timed run after the machine was ${Math.round(s.quiet.idle * 100)}% idle over ${s.quiet.windowS} s (waiting ${s.quiet.maxWaitS} s at most); ` : ''}` +
    `${s.pin ? `servers pinned to CPU ${s.pin.server} and the generator to CPU ${s.pin.generator} (taskset); ` : ''}` +
    `models in a seeded random order each round (seed ${s.seed}); request timeout ${s.timeoutS} s. Took ${fmtDuration(result.durationS)}.`
  );
}

export function markdownReport(result: BenchResult): string {
  const out: string[] = [`# ${reportTitle(result)}, ${result.started}`, '', describeRun(result), ''];
  if (result.settings.runs < 3)
    out.push(`> Only ${result.settings.runs} run(s) per model: this checks the pipeline; it is not a measurement. Use at least 3.`, '');
  out.push(
    '## Summary',
    '',
    `req/s of each model divided by the baseline's in the same round (median over rounds). ★ marks the best model: the most req/s with at most 1% failed requests (and every idle connection held); the baseline is a reference, never best. \`!\` flags more than 1% failed requests.`,
    '',
    render(summaryTable(result)),
    '',
    'Models:',
    '',
    ...lineup(result).map((m) => `- \`${m}\`: ${contenderNote(result, m)}`),
    '',
    '## Throughput',
    '',
    'req/s of each model, median over rounds: absolute figures of this machine at this moment, for scale; the ratios above are what compare.',
    '',
    render(throughputTable(result)),
    '',
  );
  if (isolationCells(result).length) out.push('## Isolation', '', isolationLegend(result), '', render(isolationTable(result)), '');
  for (const scenario of result.scenarios) {
    out.push(`## ${scenario.name}: ${scenario.title}`, '');
    const what = `\`${scenario.request.method} ${scenario.request.path}\`${scenario.request.bodyBytes ? ` with a ${fmtInt(scenario.request.bodyBytes)}-byte body` : ''}, ${scenario.connections} connections`;
    const idle = scenario.idleConnections ? `, while ${fmtInt(scenario.idleConnections)} idle connections are held open` : '';
    const timeout = scenario.timeoutS ? `; requests time out after ${scenario.timeoutS} s` : '';
    const warmup = scenario.warmupS !== undefined ? `; ${scenario.warmupS} s of warm-up before each run` : '';
    out.push(`${scenario.description ? `${scenario.description} ` : ''}Load: ${what}${idle}${timeout}${warmup}.`, '', render(scenarioTable(scenario)), '');
    const pairs = pairsTable(scenario);
    if (pairs) out.push(render(pairs), '');
    const notes = scenarioNotes(scenario, result.generator.name);
    if (notes.length) out.push(...notes.map((note) => `- ${note}`), '');
  }
  const classic = result.classic;
  if (classic) {
    out.push(`## Classic: \`${classic.command}\``, '');
    if (classic.status === 'skipped') out.push(`${classic.reason ?? 'skipped'}.`, '');
    else {
      out.push(
        `${classic.version}, no keep-alive: every request opens a new connection. Median of ${result.settings.runs} run(s).`,
        '',
        render(classicTable(classic)),
        '',
      );
      out.push(...classicExplanation(result).flatMap((p) => [p, '']));
    }
  }
  if (result.warnings.length) out.push('## Warnings', '', ...result.warnings.map((w) => `- ${w}`), '');
  out.push(
    '## How to read this',
    '',
    `- Ratios to \`${result.scenarios[0]?.baseline ?? 'raw'}\` measured seconds apart cancel most of a shared machine's noise; absolute req/s do not travel between machines. Compare ratios across runs and commits (\`bench:compare\`).`,
    '- spread is the min–max of req/s over runs; ± is half that range over the median. Models whose ranges overlap the best are marked ≈: on this machine they may be as good.',
    `- CPU / req is the server's whole process tree (every cluster process, every pool thread); server cores near ${fmtFixed(1, 1)} per core means the server was the bottleneck, lower means the generator or another job was.`,
    "- peak RSS is the largest RSS of all the server's processes together, sampled through the timed runs.",
    '',
  );
  return out.join('\n');
}
