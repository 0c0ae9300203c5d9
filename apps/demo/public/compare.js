// The compare page: a column per backend, filled from the run's server-sent events.
const $ = (id) => document.getElementById(id);

/** The figures of a column, in order: key, label, how to read the tick. */
const FIGURES = [
  ['rps', 'req/s', (t) => t.rps],
  ['p50', '/hello p50', (t) => t.probe?.p50Ms],
  ['p99', '/hello p99', (t) => t.probe?.p99Ms],
  ['loop', 'event-loop delay p99', (t) => t.loopDelayP99Ms],
  ['rss', 'RSS', (t) => t.rssBytes],
  ['errors', 'errors', (t) => t.errors],
];
/** Which column figure each deciding figure of a verdict is. */
const DECIDING = { probeP99Ms: 'p99', rps: 'rps', peakRssBytes: 'rss' };

const number = (value) => typeof value === 'number' && Number.isFinite(value);
function format(key, value) {
  if (!number(value)) return '—';
  if (key === 'rss') return `${(value / 1048576).toFixed(1)} MiB`;
  if (key === 'rps' || key === 'errors') return Math.round(value).toLocaleString('en-US');
  // As the bench engine writes milliseconds (fmtMs), so the columns read like the verdict.
  if (value < 1) return `${(value * 1000).toFixed(0)} µs`;
  if (value < 100) return `${value.toFixed(2)} ms`;
  if (value < 10_000) return `${value.toFixed(0)} ms`;
  return `${(value / 1000).toFixed(1)} s`;
}

let backends = [];
let source;

function column(name) {
  return document.querySelector(`.column[data-backend="${name}"]`);
}

function render(state) {
  backends = state.backends;
  const columns = $('columns');
  columns.replaceChildren();
  for (const backend of backends) {
    const section = document.createElement('section');
    section.className = 'column';
    section.dataset.backend = backend.name;
    section.dataset.state = 'idle';
    const h2 = document.createElement('h2');
    h2.textContent = backend.name;
    const link = document.createElement('a');
    link.href = backend.url;
    link.textContent = backend.url.replace(/^https?:\/\//, '');
    h2.append(link);
    const status = document.createElement('p');
    status.className = 'state';
    status.textContent = 'idle';
    const dl = document.createElement('dl');
    for (const [key, label] of FIGURES) {
      const dt = document.createElement('dt');
      dt.textContent = label;
      const dd = document.createElement('dd');
      dd.dataset.figure = key;
      dd.textContent = '—';
      dl.append(dt, dd);
    }
    section.append(h2, status, dl);
    columns.append(section);
  }
  const buttons = $('scenarios');
  buttons.replaceChildren();
  for (const scenario of state.scenarios) {
    const button = document.createElement('button');
    button.type = 'button';
    button.dataset.scenario = scenario.key;
    button.textContent = scenario.button;
    button.title = scenario.description;
    button.addEventListener('click', () => start(scenario.key));
    buttons.append(button);
  }
  $('status').textContent = `${backends.length} backends ready: pick a scenario.`;
}

function setBusy(busy) {
  for (const button of document.querySelectorAll('#scenarios button')) button.disabled = busy;
  $('together').disabled = busy;
}

function setState(name, state, text) {
  const col = column(name);
  if (!col) return;
  col.dataset.state = state;
  col.querySelector('.state').textContent = text;
}

function onTick(tick) {
  const col = column(tick.model);
  if (!col) return;
  for (const [key, , read] of FIGURES) {
    const value = read(tick);
    const dd = col.querySelector(`dd[data-figure="${key}"]`);
    if (number(value)) dd.dataset.value = String(value);
    else delete dd.dataset.value;
    dd.textContent = format(key, value);
  }
  if (tick.phase === 'done') setState(tick.model, 'done', `done: ${tick.elapsedS.toFixed(1)} s timed`);
  else setState(tick.model, 'running', `running: ${tick.elapsedS.toFixed(1)} s`);
}

function onVerdict(verdict) {
  const section = $('verdict');
  section.hidden = false;
  section.dataset.figure = DECIDING[verdict.deciding.figure];
  section.dataset.better = verdict.deciding.better;
  if (verdict.favoured) section.dataset.favoured = verdict.favoured;
  else delete section.dataset.favoured;
  section.dataset.recommended = verdict.recommendation.model;
  $('verdict-sentence').textContent = verdict.sentence;
  $('verdict-recommendation').textContent = `switchyard bench recommends ${verdict.recommendation.reason}`;
  $('report-link').href = verdict.report;
  $('text-link').href = verdict.text;
  for (const col of document.querySelectorAll('.column')) col.classList.toggle('favoured', col.dataset.backend === verdict.favoured);
}

function follow(id) {
  source?.close();
  setBusy(true);
  source = new EventSource(`/api/runs/${id}/events`);
  source.onmessage = (message) => {
    const event = JSON.parse(message.data);
    if (event.type === 'start') {
      $('verdict').hidden = true;
      $('log').textContent = '';
      document.body.dataset.run = event.id;
      document.body.dataset.runState = 'running';
      for (const name of event.models) {
        setState(name, 'waiting', event.together ? 'starting' : 'waiting its turn');
        for (const dd of column(name)?.querySelectorAll('dd') ?? []) {
          dd.textContent = '—';
          delete dd.dataset.value;
        }
        column(name)?.classList.remove('favoured');
      }
      $('status').textContent =
        `${event.title}: ${event.warmupS} s warm-up, then ${event.durationS} s timed, ${event.together ? 'every backend at once' : 'one backend after another'}.`;
    } else if (event.type === 'tick') onTick(event);
    else if (event.type === 'log') $('log').textContent += `${event.line}\n`;
    else if (event.type === 'verdict') onVerdict(event);
    else if (event.type === 'error') {
      $('status').dataset.state = 'error';
      $('status').textContent = `The run failed: ${event.message}`;
    } else if (event.type === 'end') {
      source.close();
      document.body.dataset.runState = event.state;
      if (event.state === 'done') $('status').textContent = 'Done: the verdict is below.';
      setBusy(false);
    }
  };
}

async function start(scenario) {
  delete $('status').dataset.state;
  const response = await fetch('/api/runs', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ scenario, together: $('together').checked }),
  });
  const body = await response.json();
  // 409: a run is going (from another window, say): watch that one.
  if (response.ok || response.status === 409) follow(body.id);
  else {
    $('status').dataset.state = 'error';
    $('status').textContent = body.error;
  }
}

fetch('/api/state')
  .then((response) => response.json())
  .then(render)
  .catch((error) => {
    $('status').dataset.state = 'error';
    $('status').textContent = `Could not load the backends: ${error.message}`;
  });
