/**
 * A self-contained HTML report: the tables, and Chart.js charts of
 * throughput and p99 per model per scenario and of memory against idle
 * connections. Chart.js and the data are inlined, so the file opens offline.
 */
import { contenderNote, lineup } from '../models.js';
import type { BenchResult } from '../types.js';
import { chartJsSource } from './chart-source.js';
import { classicExplanation } from './classic-text.js';
import { isolationClient, isolationSection } from './isolation-html.js';
import { describeRun, reportTitle } from './markdown.js';
import { pairsTable } from './pairs.js';
import { classicTable, scenarioNotes, scenarioTable, summaryTable, throughputTable, type Table } from './tables.js';

/** Text made safe inside HTML. */
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A report table, in the stylesheet's classes (the rows in `strong` stand out). */
export function htmlTable(t: Table): string {
  const head = t.header.map((h, i) => `<th class="${t.align[i]}">${escapeHtml(h)}</th>`).join('');
  const rows = t.rows
    .map(
      (row, r) =>
        `<tr${t.strong.includes(r) ? ' class="best"' : ''}>${row.map((cell, i) => `<td class="${t.align[i]}">${escapeHtml(cell)}</td>`).join('')}</tr>`,
    )
    .join('\n');
  return `<div class="scroll"><table><thead><tr>${head}</tr></thead><tbody>\n${rows}\n</tbody></table></div>`;
}

/** The reports' stylesheet, shared with the standalone benches so they read alike. */
export const REPORT_STYLE = `
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0 auto;max-width:1200px;padding:16px 24px;color:#1d2330;background:#fff}
h1{font-size:22px;margin:8px 0}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #dde2ea;padding-bottom:4px}
p.meta{color:#4a5468}.scroll{overflow-x:auto}table{border-collapse:collapse;margin:8px 0;font-variant-numeric:tabular-nums}
th,td{padding:4px 8px;border-bottom:1px solid #eceff4;white-space:nowrap}th{background:#f5f7fa;font-weight:600}
td.r,th.r{text-align:right}td.l,th.l{text-align:left}tr.best td{background:#eef7ee;font-weight:600}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(340px,1fr));gap:16px}.chart{position:relative;height:260px}
.wide{height:320px}.multiples{display:grid;grid-template-columns:repeat(auto-fit,minmax(260px,1fr));gap:12px}.small{height:240px}h3{font-size:15px;margin:16px 0 6px}.note{color:#4a5468}code{background:#f2f4f7;padding:0 3px;border-radius:3px}
`;

/** Builds the charts in the browser from the embedded results. */
const CLIENT = `
const data = JSON.parse(document.getElementById('bench-data').textContent);
const COLORS = { raw: '#8a8f98', sequential: '#c0504d', reactor: '#2f6fde', pool: '#2e9d5b', cluster: '#8e5bd6' };
const order = data.settings.models;
// Contenders take the next free colour, in the order the run lists them.
const PALETTE = ['#e07b39', '#17a2b8', '#d6457a', '#7f8c1d', '#5b6bd6', '#b8860b', '#20b27a', '#a04fb8', '#4a90a4', '#c44d1f', '#6c757d', '#1f5f8b'];
order.filter((m) => !COLORS[m]).forEach((m, i) => (COLORS[m] = PALETTE[i % PALETTE.length]));
Chart.defaults.font.size = 12;
Chart.defaults.animation = false;
const el = (id) => document.getElementById(id);
const models = (s) => order.filter((m) => s.models[m] && s.models[m].summary);

new Chart(el('chart-ratios'), {
  type: 'bar',
  data: {
    labels: data.scenarios.map((s) => s.name),
    datasets: order.map((m) => ({
      label: m,
      backgroundColor: COLORS[m],
      data: data.scenarios.map((s) => (s.models[m] && s.models[m].ratio ? s.models[m].ratio.rps : null)),
    })),
  },
  options: { maintainAspectRatio: false, plugins: { title: { display: true, text: 'req/s × baseline (higher is better)' } }, scales: { y: { beginAtZero: true } } },
});

data.scenarios.forEach((s, i) => {
  const ms = models(s);
  new Chart(el('rps-' + i), {
    type: 'bar',
    data: {
      labels: ms,
      datasets: [
        { label: 'req/s (median)', data: ms.map((m) => s.models[m].summary.rps), backgroundColor: ms.map((m) => COLORS[m]), borderColor: ms.map((m) => (m === s.best ? '#111' : COLORS[m])), borderWidth: ms.map((m) => (m === s.best ? 3 : 0)) },
        { label: 'min–max', data: ms.map((m) => [s.models[m].summary.rpsMin, s.models[m].summary.rpsMax]), backgroundColor: 'rgba(0,0,0,0.25)', barPercentage: 0.15, grouped: false },
      ],
    },
    options: { maintainAspectRatio: false, plugins: { title: { display: true, text: s.name + ': req/s' + (s.best ? ' (best: ' + s.best + ')' : '') } }, scales: { y: { beginAtZero: true } } },
  });
  new Chart(el('p99-' + i), {
    type: 'bar',
    data: { labels: ms, datasets: [{ label: 'p99 latency (ms)', data: ms.map((m) => (s.models[m].summary.p99Ms > 0 ? s.models[m].summary.p99Ms : null)), backgroundColor: ms.map((m) => COLORS[m]) }] },
    options: { maintainAspectRatio: false, plugins: { title: { display: true, text: s.name + ': p99 latency, ms (log scale, lower is better)' } }, scales: { y: { type: 'logarithmic' } } },
  });
});

const idle = data.scenarios.filter((s) => s.kind === 'idle');
idle.forEach((s, i) => {
  new Chart(el('idle-' + i), {
    type: 'line',
    data: {
      datasets: models(s).filter((m) => s.models[m].summary.idle).map((m) => ({
        label: m + ' (' + (s.models[m].summary.idle.bytesPerConnection / 1024).toFixed(1) + ' KiB/conn)',
        borderColor: COLORS[m],
        backgroundColor: COLORS[m],
        data: s.models[m].summary.idle.curve.map((p) => ({ x: p.connections, y: p.rssBytes / 1048576 })),
      })),
    },
    options: { maintainAspectRatio: false, plugins: { title: { display: true, text: s.name + ': server memory (RSS, all processes) against idle connections held' } }, scales: { x: { type: 'linear', title: { display: true, text: 'idle connections held' } }, y: { title: { display: true, text: 'MiB' } } } },
  });
});

if (data.classic && data.classic.status === 'ran' && el('classic')) {
  const ms = order.filter((m) => data.classic.models[m] && data.classic.models[m].summary);
  new Chart(el('classic'), {
    type: 'bar',
    data: {
      labels: ms,
      datasets: [
        { label: 'req/s as ab reports it', data: ms.map((m) => data.classic.models[m].summary.rps), backgroundColor: ms.map((m) => COLORS[m]), yAxisID: 'y' },
        { label: 'failed requests', data: ms.map((m) => data.classic.models[m].summary.failed), backgroundColor: '#e0a100', yAxisID: 'failed' },
      ],
    },
    options: { maintainAspectRatio: false, plugins: { title: { display: true, text: data.classic.command } }, scales: { y: { beginAtZero: true, title: { display: true, text: 'req/s' } }, failed: { position: 'right', beginAtZero: true, suggestedMax: data.classic.requests / 10, grid: { drawOnChartArea: false }, title: { display: true, text: 'failed of ' + data.classic.requests } } } },
  });
}
`;

export function htmlReport(result: BenchResult): string {
  const sections = result.scenarios.map((scenario, i) => {
    const what = `<code>${escapeHtml(`${scenario.request.method} ${scenario.request.path}`)}</code>, ${scenario.connections} connections${scenario.idleConnections ? `, ${scenario.idleConnections} idle connections held` : ''}${scenario.timeoutS ? `; requests time out after ${scenario.timeoutS} s` : ''}${scenario.warmupS !== undefined ? `; ${scenario.warmupS} s of warm-up before each run` : ''}`;
    const pairs = pairsTable(scenario);
    return `<h2 id="s-${escapeHtml(scenario.name)}">${escapeHtml(scenario.name)}: ${escapeHtml(scenario.title)}</h2>
<p class="note">${escapeHtml(scenario.description)} Load: ${what}.</p>
<div class="charts"><div class="chart"><canvas id="rps-${i}"></canvas></div><div class="chart"><canvas id="p99-${i}"></canvas></div></div>
${htmlTable(scenarioTable(scenario))}
${pairs ? htmlTable(pairs) : ''}
${scenarioNotes(scenario, result.generator.name)
  .map((note) => `<p class="note">${escapeHtml(note)}</p>`)
  .join('')}`;
  });
  const idle = result.scenarios
    .filter((s) => s.kind === 'idle')
    .map((s, i) => `<h2>Memory against idle connections: ${escapeHtml(s.name)}</h2><div class="chart wide"><canvas id="idle-${i}"></canvas></div>`);
  let classic = '';
  if (result.classic) {
    const c = result.classic;
    classic =
      c.status === 'ran'
        ? `<h2>Classic: <code>${escapeHtml(c.command)}</code></h2><p class="note">${escapeHtml(c.version ?? '')}, no keep-alive.</p>
<div class="chart wide"><canvas id="classic"></canvas></div>${htmlTable(classicTable(c))}${classicExplanation(result)
            .map((p) => `<p>${escapeHtml(p)}</p>`)
            .join('')}`
        : `<h2>Classic: <code>${escapeHtml(c.command)}</code></h2><p>${escapeHtml(c.reason ?? 'skipped')}.</p>`;
  }
  const json = JSON.stringify(result).replace(/</g, '\\u003c');
  const models = lineup(result)
    .map((m) => `<li><code>${escapeHtml(m)}</code>: ${escapeHtml(contenderNote(result, m))}</li>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(reportTitle(result))} ${escapeHtml(result.started)}</title><style>${REPORT_STYLE}</style></head>
<body>
<h1>${escapeHtml(reportTitle(result))}, ${escapeHtml(result.started)}</h1>
<p class="meta">${escapeHtml(describeRun(result))}</p>
${result.settings.runs < 3 ? `<p><strong>Only ${result.settings.runs} run(s) per model: this checks the pipeline; it is not a measurement.</strong></p>` : ''}
<h2>Summary</h2>
<p class="note">req/s divided by the baseline's in the same round (median over rounds); ★ best: most req/s with at most 1% failed requests; ! more than 1% failed.</p>
${htmlTable(summaryTable(result))}
<ul>${models}</ul>
<div class="chart wide"><canvas id="chart-ratios"></canvas></div>
<h2>Throughput</h2>
<p class="note">req/s, median over rounds: this machine at this moment, for scale; the ratios above are what compare.</p>
${htmlTable(throughputTable(result))}
${isolationSection(result, escapeHtml, htmlTable)}
${sections.join('\n')}
${idle.join('\n')}
${classic}
${result.warnings.length ? `<h2>Warnings</h2><ul>${result.warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join('')}</ul>` : ''}
<script id="bench-data" type="application/json">${json}</script>
<script>${chartJsSource()}</script>
<script>${CLIENT}${isolationClient(result)}</script>
</body></html>
`;
}
