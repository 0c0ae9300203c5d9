/**
 * The isolation grid in the HTML report: small multiples, one per kind of
 * work and connection count, with cost along the axis and the models side
 * by side: the cheap route's p99, and the expensive route's req/s over the
 * reactor's. Then the table.
 */
import type { BenchResult } from '../types.js';
import { ISOLATION_MODELS, isolationCells, isolationLegend, isolationPanels, isolationTable } from './isolation.js';
import type { Table } from './tables.js';

const panelTitle = (p: { work: string; connections: number }) => `${p.work}, ${p.connections} connections`;

export function isolationSection(result: BenchResult, escape: (text: string) => string, table: (t: Table) => string): string {
  const panels = isolationPanels(result);
  if (!panels.length) return '';
  const canvases = (prefix: string) => panels.map((_, i) => `<div class="chart small"><canvas id="${prefix}-${i}"></canvas></div>`).join('');
  return `<h2 id="isolation">Isolation</h2>
<p class="note">${escape(isolationLegend(result))}</p>
<h3>Cheap route p99 beside the expensive load (ms, log scale, lower is better; pale: a lower bound, cheap requests that old were still unanswered at the end)</h3>
<div class="multiples">${canvases('isolation-p99')}</div>
<h3>Expensive route req/s × reactor (higher is better)</h3>
<div class="multiples">${canvases('isolation-rps')}</div>
${table(isolationTable(result))}`;
}

/** The charts' browser code; uses `data`, `COLORS` and `el` from the report's script. */
export function isolationClient(result: BenchResult): string {
  const panels = isolationPanels(result).map((p) => ({ ...p, title: panelTitle(p) }));
  if (!isolationCells(result).length) return '';
  return `
(() => {
  const panels = ${JSON.stringify(panels)};
  const models = ${JSON.stringify(ISOLATION_MODELS)}.filter((m) => panels.some((p) => p.scenarios.some((i) => data.scenarios[i].models[m])));
  const key = { pool: 'poolToReactor', cluster: 'clusterToReactor' };
  const rpsRatio = (s, m) => {
    const entry = s.models[m];
    if (!entry || !entry.summary) return null;
    if (m === 'reactor') return 1;
    const value = s.isolation.rpsRatios[key[m]];
    return typeof value === 'number' ? value : null;
  };
  const probeOf = (s, m) => s.models[m] && s.models[m].summary && s.models[m].summary.probe;
  const p99 = (s, m) => {
    const probe = probeOf(s, m);
    return probe && probe.p99Ms > 0 ? probe.p99Ms : null;
  };
  // Pale: a lower bound (the report's lowerBound rule): requests at least that old were still unanswered at the end.
  const lowerBound = (probe) => probe.unanswered > 0 && (typeof probe.oldestUnansweredMs !== 'number' || probe.oldestUnansweredMs >= probe.p99Ms);
  const p99Color = (s, m) => COLORS[m] + (probeOf(s, m) && lowerBound(probeOf(s, m)) ? '55' : '');
  const chart = (id, panel, title, value, scale, color) =>
    new Chart(el(id), {
      type: 'bar',
      data: {
        labels: panel.scenarios.map((i) => data.scenarios[i].isolation.costMs + ' ms'),
        datasets: models.map((m) => ({
          label: m,
          backgroundColor: panel.scenarios.map((i) => (color ? color(data.scenarios[i], m) : COLORS[m])),
          borderColor: COLORS[m],
          borderWidth: 1.5,
          data: panel.scenarios.map((i) => value(data.scenarios[i], m)),
        })),
      },
      options: {
        maintainAspectRatio: false,
        plugins: {
          title: { display: true, text: panel.title + ': ' + title },
          // Each model's own colour in the legend, whatever its first bar is.
          legend: { labels: { generateLabels: (c) => Chart.defaults.plugins.legend.labels.generateLabels(c).map((l) => ({ ...l, fillStyle: COLORS[models[l.datasetIndex]] })) } },
        },
        scales: { x: { title: { display: true, text: 'cost of one expensive request' } }, y: scale },
      },
    });
  panels.forEach((panel, i) => {
    // From 0.1 ms, so that bar heights compare across panels and a sub-millisecond p99 still shows.
    const decades = (v) => (Math.abs(Math.log10(v) - Math.round(Math.log10(v))) < 1e-9 ? v.toLocaleString('en-US') : '');
    chart('isolation-p99-' + i, panel, 'cheap p99, ms', p99, { type: 'logarithmic', min: 0.1, ticks: { callback: decades } }, p99Color);
    chart('isolation-rps-' + i, panel, 'req/s × reactor', rpsRatio, { beginAtZero: true });
  });
})();
`;
}
