// The demo page: live stats charts from /stats/events and the chat room.
// Plain browser JavaScript, no build step; Chart.js is loaded before it.

const POINTS = 60; // one minute of history, one point a second
const COLORS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#ca8a04', '#db2777'];
const backend = document.body.dataset.backend;

Chart.defaults.animation = false; // a new point every second; animating it only costs CPU
Chart.defaults.maintainAspectRatio = false;

const $ = (id) => document.getElementById(id);

/** What the page calls one context of this backend. */
function workerLabel(worker) {
  if (backend === 'reactor') return 'the event loop';
  if (worker.expressLane) return `express lane (thread ${worker.workerId})`;
  if (backend === 'pool' || backend === 'threads') return `thread ${worker.workerId}`;
  return `process ${worker.workerId} (pid ${worker.pid})`;
}

/** "2 threads + express lane": the pool's lane takes only cheap requests while the others are busy, so it is not counted as one of them. */
function describeWorkers(workers) {
  if (backend === 'reactor') return 'one event loop, no workers.';
  const count = workers.filter((worker) => !worker.expressLane).length;
  const [one, many] = backend === 'pool' || backend === 'threads' ? ['thread', 'threads'] : ['process', 'processes'];
  const lane = workers.some((worker) => worker.expressLane) ? ' + express lane' : '';
  return `${count} ${count === 1 ? one : many}${lane} run the handler.`;
}

// ---- charts ----

const throughput = new Chart($('throughput-chart'), {
  type: 'line',
  data: {
    labels: [],
    datasets: [
      { label: 'requests/s', data: [], borderColor: COLORS[0], backgroundColor: COLORS[0], yAxisID: 'rps', pointRadius: 0 },
      { label: 'p99 ms', data: [], borderColor: COLORS[1], backgroundColor: COLORS[1], yAxisID: 'ms', pointRadius: 0 },
    ],
  },
  options: {
    scales: {
      rps: { position: 'left', beginAtZero: true, title: { display: true, text: 'requests/s' } },
      ms: { position: 'right', beginAtZero: true, title: { display: true, text: 'ms' }, grid: { drawOnChartArea: false } },
    },
  },
});

const loop = new Chart($('loop-chart'), {
  type: 'line',
  data: { labels: [], datasets: [] },
  options: { scales: { y: { beginAtZero: true, title: { display: true, text: 'ms' } } }, elements: { point: { radius: 0 } } },
});

const load = new Chart($('load-chart'), {
  type: 'bar',
  data: { labels: [], datasets: [{ label: 'busy %', data: [], backgroundColor: COLORS[2] }] },
  options: { indexAxis: 'y', scales: { x: { min: 0, max: 100 } }, plugins: { legend: { display: false } } },
});

/** Appends one point to a line chart, keeping the last POINTS. */
function pushPoint(chart, label, valuesByDataset) {
  const { labels, datasets } = chart.data;
  labels.push(label);
  datasets.forEach((dataset, i) => {
    dataset.data.push(valuesByDataset[i] ?? null);
  });
  if (labels.length > POINTS) {
    labels.shift();
    for (const dataset of datasets) dataset.data.shift();
  }
}

/** The loop chart has one line per worker; a worker seen for the first time gets a line padded with gaps. */
function loopDataset(label) {
  let dataset = loop.data.datasets.find((d) => d.label === label);
  if (!dataset) {
    const color = COLORS[loop.data.datasets.length % COLORS.length];
    dataset = { label, data: loop.data.labels.map(() => null), borderColor: color, backgroundColor: color, spanGaps: false };
    loop.data.datasets.push(dataset);
  }
  return dataset;
}

function showStats(snapshot) {
  const time = new Date().toLocaleTimeString();
  const { workers, totals } = snapshot;
  $('workers').textContent = describeWorkers(workers);
  $('rps').textContent = totals.rps.toFixed(1);
  $('requests').textContent = String(totals.requests);
  $('p99').textContent = totals.p99Ms.toFixed(1);

  pushPoint(throughput, time, [totals.rps, totals.p99Ms]);

  const labels = workers.map(workerLabel);
  const delays = new Map(workers.map((worker, i) => [labels[i], worker.loopDelayP99Ms]));
  for (const label of labels) loopDataset(label);
  pushPoint(
    loop,
    time,
    loop.data.datasets.map((dataset) => delays.get(dataset.label)),
  );

  load.data.labels = labels;
  load.data.datasets[0].data = workers.map((worker) => Math.round(worker.elu * 1000) / 10);

  throughput.update();
  loop.update();
  load.update();
}

const stats = new EventSource('/stats/events');
stats.addEventListener('stats', (event) => showStats(JSON.parse(event.data)));

$('traffic').addEventListener('click', async () => {
  const button = $('traffic');
  button.disabled = true;
  try {
    await Promise.all(Array.from({ length: 200 }, () => fetch('/hello').then((response) => response.text())));
  } finally {
    button.disabled = false;
  }
});

// ---- chat ----

const log = $('chat-log');
const chatStatus = $('chat-status');
const chatError = $('chat-error');
const nameInput = $('chat-name');
const textInput = $('chat-text');
nameInput.value = localStorage.getItem('switchyard-chat-name') ?? '';

function showMessage(message) {
  // textContent only: what others type never becomes markup.
  const item = document.createElement('li');
  const meta = document.createElement('span');
  meta.className = 'meta';
  meta.textContent = `${new Date(message.at).toLocaleTimeString()} · via worker ${message.workerId}`;
  const name = document.createElement('strong');
  name.textContent = message.name || 'anonymous';
  const text = document.createElement('span');
  text.className = 'text';
  text.textContent = message.text;
  item.append(meta, ' ', name, ': ', text);
  log.append(item);
  log.scrollTop = log.scrollHeight;
}

/** Shows that the chat is connected, to which worker and how. */
function chatReady(transport, { workerId }) {
  chatStatus.textContent = `connected to worker ${workerId} over ${transport === 'websocket' ? 'a WebSocket' : 'server-sent events'}`;
  chatStatus.dataset.state = 'ready';
}

function chatDown(what) {
  chatStatus.textContent = what;
  chatStatus.dataset.state = 'down';
}

function showChatError(message) {
  chatError.textContent = `Not sent: ${message}`;
  chatError.hidden = false;
}

/** Server-sent events in, POST out. EventSource reconnects by itself. */
function connectEventStream() {
  const source = new EventSource('/chat/events');
  source.addEventListener('ready', (event) => chatReady('sse', JSON.parse(event.data)));
  source.addEventListener('message', (event) => showMessage(JSON.parse(event.data)));
  source.addEventListener('error', () => chatDown('reconnecting…'));
  return {
    close: () => source.close(),
    async send(post) {
      const response = await fetch('/chat', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(post) });
      if (response.status !== 202) throw new Error((await response.text()).trim() || `HTTP ${response.status}`);
    },
  };
}

/**
 * One WebSocket both ways: the same events as the stream, one JSON frame
 * each ({event, data}), and posts sent as frames. A WebSocket does not
 * reconnect by itself, so this tries again a second after it drops.
 */
function connectWebSocket() {
  const url = new URL('/chat/ws', location.href);
  url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  let socket;
  let retry;
  let left = false;
  const open = () => {
    socket = new WebSocket(url);
    socket.addEventListener('message', (event) => {
      // A socket being closed may still hand over frames; the page has moved on.
      if (left) return;
      const { event: type, data } = JSON.parse(event.data);
      if (type === 'ready') chatReady('websocket', data);
      else if (type === 'message') showMessage(data);
      else if (type === 'error') showChatError(data.error);
    });
    socket.addEventListener('close', () => {
      if (left) return;
      chatDown('reconnecting…');
      retry = setTimeout(open, 1000);
    });
  };
  open();
  return {
    close() {
      left = true;
      clearTimeout(retry);
      socket.close(1000);
    },
    async send(post) {
      if (socket.readyState !== WebSocket.OPEN) throw new Error('the WebSocket is not connected');
      socket.send(JSON.stringify(post));
    },
  };
}

// One way at a time: a page on both would hear each message twice.
const transports = { sse: connectEventStream, websocket: connectWebSocket };
let chat;

function connectChat(transport) {
  chat?.close();
  localStorage.setItem('switchyard-chat-transport', transport);
  chatStatus.textContent = 'connecting…';
  chatStatus.dataset.state = 'connecting';
  chatStatus.dataset.transport = transport;
  chat = transports[transport]();
}

const savedTransport = localStorage.getItem('switchyard-chat-transport');
const chosen = document.querySelector(`#chat-transport input[value="${Object.hasOwn(transports, savedTransport ?? '') ? savedTransport : 'sse'}"]`);
chosen.checked = true;
connectChat(chosen.value);
$('chat-transport').addEventListener('change', (event) => connectChat(event.target.value));

$('chat-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const name = nameInput.value.trim();
  const text = textInput.value.trim();
  if (!text) return;
  localStorage.setItem('switchyard-chat-name', name);
  chatError.hidden = true;
  try {
    await chat.send(name ? { name, text } : { text });
    textInput.value = '';
  } catch (error) {
    showChatError(error.message);
  }
});
