/**
 * The WebSocket bench's reports: markdown (printed, and results.md) and a
 * self-contained HTML page with Chart.js charts, in the style of the
 * engine's report.html (the same stylesheet and colours; Chart.js and the
 * data inlined, so it opens offline).
 */
import { chartJsSource, escapeHtml, fmtFixed, fmtInt, fmtKiB, fmtMs, htmlTable, REPORT_STYLE } from '@switchyard/bench';

export const LABELS = { raw: 'raw ws', reactor: 'reactor', pool: 'pool', cluster: 'cluster' };
const COLORS = { raw: '#8a8f98', reactor: '#2f6fde', pool: '#2e9d5b', cluster: '#8e5bd6' };

const ratio = (n) => (typeof n === 'number' && Number.isFinite(n) ? `${fmtFixed(n, 2)}×` : 'n/a');
const meets = (value, limit, above) =>
  typeof value !== 'number' || !Number.isFinite(value) ? 'n/a' : (above ? value >= limit : value <= limit) ? 'met' : 'not met';

function table(header, align, rows) {
  return { header, align, rows };
}

function markdownTable(t) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(t.header), line(t.align.map((a) => (a === 'r' ? '---:' : '---'))), ...t.rows.map(line)].join('\n');
}

/** What the run was, in words: the same sentence heads both reports. */
export function describeRun(result) {
  const s = result.settings;
  const m = result.machine;
  return `${m.cpuModel}, ${m.cores} cores, ${(m.memoryBytes / 2 ** 30).toFixed(1)} GiB; Node ${m.node}. Each contender's server runs in its own process (pool: ${s.workers} threads; cluster: a primary and ${s.workers} processes); the clients (the ws package) run in separate processes on the same machine, so on a small machine clients and server share its cores.`;
}

export function echoDescription(result) {
  const s = result.settings;
  return `${s.connections} sockets from ${s.clients} client process(es), each keeping ${s.window} text messages of ${s.size} bytes in flight; the server sends every message back. Messages/s: echoes received in ${s.duration} s, after ${s.warmup} s of warm-up; ${s.rounds} round(s), each contender once per round in a shuffled order, fresh server each time; median over rounds, and the median of each round's ratio to raw ws. Round trip: sampled per message, median over rounds.`;
}

export function broadcastDescription(result) {
  const s = result.settings;
  return `${fmtInt(s.sockets)} idle sockets, opened from ${s.idleClients} client process(es) and subscribed to one topic; ${s.broadcasts} messages (after one untimed), each published once every socket had the one before: by \`ctx.publish\` in the app's fetch on POST /publish, or, for raw ws, by a loop over its sockets in the POST handler. Latency: from the publish stamp (taken in the server) to arrival, over every socket and message (one clock: same machine). Memory per socket: the server's figures after opening minus before, over the sockets held, each after a garbage collection; RSS summed over the server's processes (/proc: a cluster's primary and workers), heapUsed summed over its main thread and each app context (a pool's threads, a cluster's processes).`;
}

export function echoTable(result) {
  const { summary } = result.echo;
  return table(
    ['contender', 'messages/s', 'min–max', '× raw ws', 'round trip p50', 'round trip p99', `target (reactor ≥ ${result.settings.targets.echoReactor}× raw ws)`],
    ['l', 'r', 'r', 'r', 'r', 'r', 'l'],
    result.contenders.map((c) => {
      const row = summary[c];
      if (row.error) return [LABELS[c], 'failed', '', '', '', '', row.error];
      return [
        LABELS[c],
        fmtInt(row.messagesPerSecond),
        `${fmtInt(row.min)}–${fmtInt(row.max)}`,
        c === 'raw' ? '1.00× (reference)' : ratio(row.ratio),
        fmtMs(row.rttP50Ms),
        fmtMs(row.rttP99Ms),
        c === 'reactor' ? meets(row.ratio, result.settings.targets.echoReactor, true) : '',
      ];
    }),
  );
}

export function broadcastTable(result) {
  const { summary } = result.broadcast;
  const limit = result.settings.targets.memoryPerSocket;
  return table(
    [
      'contender',
      'sockets held',
      'delivered',
      'latency p50',
      'p99',
      'max',
      'RSS / socket',
      '× raw ws',
      'heap / socket',
      '× raw ws',
      `target (RSS ≤ ${limit}× raw ws)`,
    ],
    ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'l'],
    result.contenders.map((c) => {
      const row = summary[c];
      if (row.error) return [LABELS[c], 'failed', '', '', '', '', '', '', '', '', row.error];
      return [
        LABELS[c],
        `${fmtInt(row.held)}${row.failed ? ` (${fmtInt(row.failed)} failed)` : ''}`,
        `${fmtInt(row.delivered)} of ${fmtInt(row.expected)}`,
        fmtMs(row.p50Ms),
        fmtMs(row.p99Ms),
        fmtMs(row.maxMs),
        fmtKiB(row.rssPerSocket),
        c === 'raw' ? '1.00× (reference)' : ratio(row.rssRatio),
        fmtKiB(row.heapPerSocket),
        c === 'raw' ? '1.00× (reference)' : ratio(row.heapRatio),
        c === 'raw' ? '' : meets(row.rssRatio, limit, false),
      ];
    }),
  );
}

const QUICK_NOTE = 'Quick mode: one short pass to check that everything runs; these figures are not a measurement.';

export function markdownReport(result) {
  const parts = [`# WebSockets beside raw ws, ${result.started}`, '', describeRun(result), ''];
  if (result.quick) parts.push(`**${QUICK_NOTE}**`, '');
  if (result.echo) parts.push('## Echo: messages/s', '', echoDescription(result), '', markdownTable(echoTable(result)), '');
  if (result.broadcast)
    parts.push(
      `## Broadcast to ${fmtInt(result.settings.sockets)} idle sockets`,
      '',
      broadcastDescription(result),
      '',
      markdownTable(broadcastTable(result)),
      '',
    );
  return `${parts.join('\n')}`;
}

/** Chart.js's UMD build, inlined; nothing in it may end the <script> early. */
const escape = (text) => escapeHtml(String(text));
const tableHtml = (t) => htmlTable({ strong: [], ...t });

/** Builds the charts in the browser from the embedded results. */
const CLIENT = `
const data = JSON.parse(document.getElementById('bench-data').textContent);
const LABELS = ${JSON.stringify(LABELS)};
const COLORS = ${JSON.stringify(COLORS)};
Chart.defaults.font.size = 12;
Chart.defaults.animation = false;
const el = (id) => document.getElementById(id);
const ok = (summary) => data.contenders.filter((c) => summary[c] && !summary[c].error);
const value = (v) => (typeof v === 'number' && isFinite(v) ? v : null);
// A target as a dashed line across the bars.
const target = (label, y, n) => ({ type: 'line', label, data: Array(n).fill(y), borderColor: '#c0504d', borderDash: [6, 4], borderWidth: 1.5, pointRadius: 0 });
const bars = (id, title, labels, datasets, y = { beginAtZero: true }) =>
  new Chart(el(id), { type: 'bar', data: { labels, datasets }, options: { maintainAspectRatio: false, plugins: { title: { display: true, text: title } }, scales: { y } } });

if (data.echo) {
  const s = data.echo.summary;
  const cs = ok(s);
  const labels = cs.map((c) => LABELS[c]);
  bars('echo-rate', 'echo: messages/s (median; higher is better)', labels, [
    { label: 'messages/s', data: cs.map((c) => s[c].messagesPerSecond), backgroundColor: cs.map((c) => COLORS[c]) },
    { label: 'min–max', data: cs.map((c) => [s[c].min, s[c].max]), backgroundColor: 'rgba(0,0,0,0.25)', barPercentage: 0.15, grouped: false },
  ]);
  bars('echo-ratio', 'echo: messages/s × raw ws (higher is better)', labels, [
    { label: '× raw ws', data: cs.map((c) => (c === 'raw' ? 1 : value(s[c].ratio))), backgroundColor: cs.map((c) => COLORS[c]) },
    target('target for reactor: ' + data.settings.targets.echoReactor + '×', data.settings.targets.echoReactor, cs.length),
  ]);
}

if (data.broadcast) {
  const s = data.broadcast.summary;
  const cs = ok(s);
  const labels = cs.map((c) => LABELS[c]);
  bars('bc-latency', 'broadcast: publish to arrival, ms (lower is better)', labels, [
    { label: 'p50', data: cs.map((c) => value(s[c].p50Ms)), backgroundColor: cs.map((c) => COLORS[c] + '88') },
    { label: 'p99', data: cs.map((c) => value(s[c].p99Ms)), backgroundColor: cs.map((c) => COLORS[c]) },
  ]);
  bars('bc-memory', 'memory per idle socket, KiB (lower is better)', labels, [
    { label: 'RSS, all processes', data: cs.map((c) => value(s[c].rssPerSocket / 1024)), backgroundColor: cs.map((c) => COLORS[c]) },
    { label: 'heap, all contexts', data: cs.map((c) => value(s[c].heapPerSocket / 1024)), backgroundColor: cs.map((c) => COLORS[c] + '88') },
  ]);
  bars('bc-ratio', 'memory per idle socket × raw ws (lower is better)', labels, [
    { label: 'RSS × raw ws', data: cs.map((c) => (c === 'raw' ? 1 : value(s[c].rssRatio))), backgroundColor: cs.map((c) => COLORS[c]) },
    { label: 'heap × raw ws', data: cs.map((c) => (c === 'raw' ? 1 : value(s[c].heapRatio))), backgroundColor: cs.map((c) => COLORS[c] + '88') },
    target('target: ' + data.settings.targets.memoryPerSocket + '×', data.settings.targets.memoryPerSocket, cs.length),
  ]);
}
`;

export function htmlReport(result) {
  const sections = [];
  if (result.echo)
    sections.push(`<h2>Echo: messages/s</h2>
<p class="note">${escape(echoDescription(result))}</p>
<div class="charts"><div class="chart"><canvas id="echo-rate"></canvas></div><div class="chart"><canvas id="echo-ratio"></canvas></div></div>
${tableHtml(echoTable(result))}`);
  if (result.broadcast)
    sections.push(`<h2>Broadcast to ${escape(fmtInt(result.settings.sockets))} idle sockets</h2>
<p class="note">${escape(broadcastDescription(result))}</p>
<div class="charts"><div class="chart"><canvas id="bc-latency"></canvas></div><div class="chart"><canvas id="bc-memory"></canvas></div><div class="chart"><canvas id="bc-ratio"></canvas></div></div>
${tableHtml(broadcastTable(result))}`);
  const json = JSON.stringify(result).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>WebSockets beside raw ws ${escape(result.started)}</title><style>${REPORT_STYLE}</style></head>
<body>
<h1>WebSockets beside raw ws, ${escape(result.started)}</h1>
<p class="meta">${escape(describeRun(result))}</p>
${result.quick ? `<p><strong>${escape(QUICK_NOTE)}</strong></p>` : ''}
${sections.join('\n')}
<script id="bench-data" type="application/json">${json}</script>
<script>${chartJsSource()}</script>
<script>${CLIENT}</script>
</body></html>
`;
}
