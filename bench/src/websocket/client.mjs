/**
 * WebSocket clients in a process of their own, so that they do not share
 * the server's event loop (the runner starts one or more, with the
 * open-file limit raised). Commands arrive over IPC, answers go back:
 *
 *   { type: 'echo', url, connections, window, size, warmupMs, durationMs }
 *       opens `connections` sockets to url, keeps `window` messages of
 *       `size` bytes in flight on each, and answers { type: 'echoed' } with
 *       the echoes counted after the warm-up, round trips sampled, and any
 *       wrong echo or failure.
 *   { type: 'open', url, count }
 *       opens `count` idle sockets (200 handshakes at a time) and answers
 *       { type: 'opened', held, failed, error }.
 *   a broadcast "<seq> <stamp>" arriving on every held socket
 *       is timed (receipt minus stamp) and reported { type: 'got', seq }
 *       once every held socket has it.
 *   { type: 'reset' }      forgets the latencies so far (the warm-up broadcast's)
 *   { type: 'latencies' }  answers { type: 'latencies', ms: [...] }
 *   { type: 'close' }      closes every socket and exits.
 */
import WebSocket from 'ws';

const now = () => performance.timeOrigin + performance.now();
const sockets = new Set();

function connect(url) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    ws.once('open', () => {
      ws.off('error', reject);
      ws.on('error', () => {});
      sockets.add(ws);
      ws.once('close', () => sockets.delete(ws));
      resolve(ws);
    });
    ws.once('error', reject);
  });
}

async function echo({ url, connections, window, size, warmupMs, durationMs }) {
  const payload = 'x'.repeat(Math.max(0, size - 8));
  const clients = await Promise.all(Array.from({ length: connections }, () => connect(url)));
  let counting = false;
  let running = true;
  let echoed = 0;
  let wrong = 0;
  let closed = 0;
  const rtt = [];
  let n = 0;
  for (const ws of clients) {
    const sent = [];
    const sendOne = () => {
      // Eight characters of sequence, then the padding: each echo is checked against what went out.
      const text = `${String(n++ % 1e8).padStart(8, '0')}${payload}`;
      sent.push({ text, at: performance.now() });
      ws.send(text);
    };
    ws.on('message', (data, isBinary) => {
      const expected = sent.shift();
      if (isBinary || expected === undefined || data.toString() !== expected.text) wrong++;
      else if (counting) {
        echoed++;
        if ((echoed & 15) === 0) rtt.push(performance.now() - expected.at);
      }
      if (running) sendOne();
    });
    ws.on('close', () => running && closed++);
    for (let i = 0; i < window; i++) sendOne();
  }
  await new Promise((resolve) => setTimeout(resolve, warmupMs));
  counting = true;
  const from = performance.now();
  await new Promise((resolve) => setTimeout(resolve, durationMs));
  counting = false;
  const seconds = (performance.now() - from) / 1000;
  running = false;
  await Promise.all(clients.map((ws) => new Promise((resolve) => (ws.readyState === WebSocket.CLOSED ? resolve() : (ws.once('close', resolve), ws.close())))));
  return { echoed, seconds, wrong, closed, rtt };
}

const latencies = [];
const got = new Map();
let held = 0;

function onBroadcast(data) {
  const at = now();
  const [seq, stamp] = data.toString().split(' ');
  latencies.push(at - Number(stamp));
  const count = (got.get(seq) ?? 0) + 1;
  got.set(seq, count);
  if (count === held) process.send({ type: 'got', seq: Number(seq) });
}

async function open({ url, count }) {
  let failed = 0;
  let error;
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next++;
      try {
        const ws = await connect(url);
        ws.on('message', onBroadcast);
        held++;
      } catch (e) {
        failed++;
        error ??= e.message;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(200, count) }, worker));
  return { held, failed, error };
}

process.on('message', async (message) => {
  try {
    if (message.type === 'echo') process.send({ type: 'echoed', ...(await echo(message)) });
    else if (message.type === 'open') process.send({ type: 'opened', ...(await open(message)) });
    else if (message.type === 'reset') {
      latencies.length = 0;
      process.send({ type: 'reset' });
    } else if (message.type === 'latencies') process.send({ type: 'latencies', ms: latencies });
    else if (message.type === 'close') {
      for (const ws of sockets) ws.terminate();
      process.exit(0);
    }
  } catch (error) {
    process.send({ type: 'failed', error: error?.message ?? String(error) });
  }
});
process.send({ type: 'ready' });
