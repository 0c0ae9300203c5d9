/**
 * The reactor's HTTP ratio bench: @switchyard/reactor against raw node:http
 * handlers that write the same bytes, on the same machine, in one run.
 *
 * Every contender runs as its own child process on 127.0.0.1, port 0, and
 * must first answer correctly. Then come rounds: each round runs every
 * contender once, in a fresh random order, with the same generator and
 * settings, and each of those runs gets a fresh process with its own
 * discarded warm-up. Fresh processes matter: two processes running the same
 * code differed by 5% and more in CPU per request for their whole life in
 * our runs (JIT decisions, heap and code layout), so one long-lived process
 * per contender is a sample of one.
 * Alternating within rounds lets the slow drift of a shared machine land on
 * all contenders alike, and gives one paired ratio per round.
 *
 * Run it through the CLI: node src/run.mjs --only http [--runs 8 --duration 3 ...]
 */
import { fmtFixed, fmtInt, fmtMiB, markdownTable, max, median, min, random, shuffle } from '@switchyard/bench';
import { checkContender, headDiff } from './check.mjs';
import { startContender } from './child.mjs';
import { CONTENDERS, RATIOS } from './contenders.mjs';
import { resolveGenerator } from './generators.mjs';
import { pinSelf, planPinning } from './pin.mjs';

export const HTTP_DEFAULTS = {
  /** Seconds per timed run. */
  duration: 3,
  /** Seconds of discarded warm-up before each timed run, in the same fresh process. */
  warmup: 2,
  /** Timed runs (rounds) per contender, each in a fresh process; at least 3. Many short rounds pair better than a few long ones on a shared machine. */
  runs: 8,
  connections: 100,
  generator: 'auto',
  /** Let the runner apt-get install wrk when it is missing and it runs as root. */
  install: true,
  contenders: Object.keys(CONTENDERS),
  seed: undefined,
  /** How raw-native reads the native body: 'reader' (the cheaper on Node 20) or 'arraybuffer'. */
  nativeRead: 'reader',
  /** 'auto' | 'on' | 'off': server on core 0, generator on core 1 (see pin.mjs). */
  pin: 'auto',
};

const BASELINE = 'raw-fast';

export async function runReactorHttp(input = {}, log = (line) => console.error(line)) {
  const options = { ...HTTP_DEFAULTS, ...input };
  if (!Number.isInteger(options.runs) || options.runs < 3) throw new TypeError(`--runs must be an integer >= 3 (got ${options.runs})`);
  // Whole seconds: wrk takes no fractions.
  if (!Number.isInteger(options.duration) || options.duration < 1) throw new TypeError(`--duration must be whole seconds >= 1 (got ${options.duration})`);
  if (!Number.isInteger(options.warmup) || options.warmup < 0) throw new TypeError(`--warmup must be whole seconds >= 0 (got ${options.warmup})`);
  if (!Number.isInteger(options.connections) || options.connections < 1) throw new TypeError(`--connections must be a positive integer (got ${options.connections})`);
  for (const name of options.contenders) {
    if (!CONTENDERS[name]) throw new TypeError(`unknown contender "${name}"; expected some of ${Object.keys(CONTENDERS).join(', ')}`);
  }
  if (!['arraybuffer', 'reader'].includes(options.nativeRead)) throw new TypeError(`--native-read must be arraybuffer or reader (got ${options.nativeRead})`);

  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  const rng = random(seed);
  const generator = resolveGenerator(options.generator, { install: options.install, log });
  const pin = planPinning(options.pin);
  if (pin) pinSelf(pin);
  options.pinned = pin ? { server: pin.server, generator: pin.generator } : null;
  const load = { duration: options.duration, connections: options.connections };
  log(`http: ${generator.version}; ${generator.describe(load)}; ${options.runs} x ${options.duration}s after ${options.warmup}s warm-up; seed ${seed}`);

  const live = new Set();
  const killAll = () => {
    for (const child of live) child.kill();
  };
  process.once('exit', killAll);
  const spawn = async (name) => {
    const env = name === 'raw-native' ? { BENCH_NATIVE_READ: options.nativeRead } : {};
    const child = await startContender(name, { env, pin });
    live.add(child);
    return child;
  };
  const stop = async (child) => {
    await child.stop();
    live.delete(child);
  };

  const contenders = {};
  try {
    for (const name of shuffle(options.contenders, rng)) {
      const child = await spawn(name);
      const check = await checkContender(child.url);
      await stop(child);
      contenders[name] = { name, note: CONTENDERS[name].note, check, runs: [], peakRssBytes: 0 };
      log(`  ${name.padEnd(15)} ${check.ok ? 'answers correctly' : `WRONG ANSWER, not timed: ${check.problems.join('; ')}`}`);
    }
    const baselineHead = contenders[BASELINE]?.check.head;
    for (const entry of Object.values(contenders)) {
      if (baselineHead && entry.name !== BASELINE && entry.check.head.length) {
        const diff = headDiff(entry.check.head, baselineHead);
        if (diff.extra.length || diff.missing.length) {
          entry.check.headDiff = diff;
          log(`  ${entry.name}: head differs from ${BASELINE}: +[${diff.extra.join(', ')}] -[${diff.missing.join(', ')}]`);
        }
      }
    }

    const ok = Object.values(contenders).filter((c) => c.check.ok).map((c) => c.name);
    const order = [];
    for (let round = 1; round <= options.runs; round++) {
      const roundOrder = shuffle(ok, rng);
      order.push(roundOrder);
      for (const name of roundOrder) {
        const entry = contenders[name];
        const child = await spawn(name);
        try {
          // Every process must answer correctly, not only the first one.
          const check = await checkContender(child.url);
          if (!check.ok) throw new Error(`${name} answered wrongly in round ${round}: ${check.problems.join('; ')}`);
          if (options.warmup > 0) await generator.run(child.url, { ...load, duration: options.warmup });
          const before = await child.usage();
          const result = await generator.run(child.url, load);
          const after = await child.usage();
          const cpuMicros = after.cpuMicros - before.cpuMicros;
          const cpuUsPerReq = result.requests > 0 ? cpuMicros / result.requests : Number.NaN;
          // Cores the server used while loaded: near 1 when it had a core to itself, lower when starved.
          const cpuShare = cpuMicros / (result.seconds * 1e6);
          entry.runs.push({ round, pid: child.pid, ...result, cpuUsPerReq, cpuShare, maxRssBytes: after.maxRssBytes });
          entry.peakRssBytes = Math.max(entry.peakRssBytes, after.maxRssBytes);
          log(
            `  round ${round}/${options.runs} ${name.padEnd(15)} ${fmtInt(result.rps).padStart(7)} req/s  p99 ${fmtFixed(result.p99Ms).padStart(6)} ms  ` +
              `CPU ${fmtFixed(cpuUsPerReq, 1)} µs/req, ${fmtFixed(cpuShare)} cores  errors ${result.errors}`,
          );
        } finally {
          await stop(child);
        }
      }
    }

    for (const entry of Object.values(contenders)) entry.summary = summarize(entry);
    const ratios = computeRatios(contenders);
    return {
      generator: { name: generator.name, version: generator.version, command: generator.describe(load) },
      options: { ...options, seed },
      order,
      contenders,
      ratios,
    };
  } finally {
    killAll();
    process.off('exit', killAll);
  }
}

function summarize(entry) {
  if (!entry.runs.length) return undefined;
  const rps = entry.runs.map((r) => r.rps);
  return {
    rps: median(rps),
    rpsMin: min(rps),
    rpsMax: max(rps),
    p50Ms: median(entry.runs.map((r) => r.p50Ms)),
    p99Ms: median(entry.runs.map((r) => r.p99Ms)),
    errors: entry.runs.reduce((sum, r) => sum + r.errors, 0),
    requests: entry.runs.reduce((sum, r) => sum + r.requests, 0),
    cpuUsPerReq: median(entry.runs.map((r) => r.cpuUsPerReq)),
    cpuShare: median(entry.runs.map((r) => r.cpuShare)),
    peakRssBytes: entry.peakRssBytes,
  };
}

/**
 * Below this many cores of server CPU in a run, the server was not the
 * bottleneck: the generator was (autocannon on 2 cores), or something else
 * on the machine took its CPU. req/s ratios then say little; CPU/req still holds.
 */
const SATURATED = 0.85;

/**
 * The headline ratio is the median over rounds of the two contenders' req/s
 * in the same round: pairs run minutes apart on a shared machine would mix
 * its drift into the ratio. The ratio of the medians and the inverse ratio
 * of server CPU time per request are given beside it as cross-checks.
 */
function computeRatios(contenders) {
  return RATIOS.map(([label, top, bottom, target]) => {
    const a = contenders[top];
    const b = contenders[bottom];
    if (!a?.summary || !b?.summary) {
      const why = [a, b].filter((c) => c && !c.check.ok).map((c) => `${c.name} answered wrongly`);
      return { label, top, bottom, target, ratio: Number.NaN, why: why.join('; ') || 'not run' };
    }
    const paired = [];
    for (const run of a.runs) {
      const other = b.runs.find((r) => r.round === run.round);
      if (other) paired.push(run.rps / other.rps);
    }
    const ratio = median(paired);
    const leastCores = Math.min(a.summary.cpuShare, b.summary.cpuShare);
    return {
      label,
      top,
      bottom,
      target,
      ratio,
      pairedMin: min(paired),
      pairedMax: max(paired),
      ratioOfMedians: a.summary.rps / b.summary.rps,
      cpuRatio: b.summary.cpuUsPerReq / a.summary.cpuUsPerReq,
      leastCores,
      saturated: leastCores >= SATURATED,
      meetsTarget: target === undefined ? undefined : ratio >= target,
    };
  });
}

/** The markdown report of one HTTP run. */
export function httpMarkdown(result) {
  const rows = Object.values(result.contenders)
    .sort((a, b) => Object.keys(CONTENDERS).indexOf(a.name) - Object.keys(CONTENDERS).indexOf(b.name))
    .map((c) => {
      const s = c.summary;
      if (!s) return [c.name, 'wrong answer', '', '', '', '', '', '', ''];
      return [
        c.name,
        fmtInt(s.rps),
        `${fmtInt(s.rpsMin)}–${fmtInt(s.rpsMax)}`,
        `${fmtFixed(s.p50Ms)} ms`,
        `${fmtFixed(s.p99Ms)} ms`,
        fmtInt(s.errors),
        `${fmtFixed(s.cpuUsPerReq, 1)} µs`,
        fmtFixed(s.cpuShare),
        fmtMiB(s.peakRssBytes),
      ];
    });
  const table = markdownTable(
    ['contender', 'req/s (median)', 'spread (min–max)', 'p50', 'p99', 'errors', 'server CPU/req', 'server cores', 'peak RSS'],
    rows,
    ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
  );
  const ratioRows = result.ratios.map((r) => {
    const target = r.target === undefined ? '—' : `≥ ${r.target}`;
    if (!Number.isFinite(r.ratio)) return [r.label, 'n/a', '', '', '', target, r.why];
    let verdict = r.target === undefined ? 'reported' : r.meetsTarget ? 'meets target' : 'BELOW TARGET';
    if (!r.saturated) verdict += ` (server not saturated: ${fmtFixed(r.leastCores)} cores; read CPU/req)`;
    return [
      r.label,
      fmtFixed(r.ratio, 3),
      `${fmtFixed(r.pairedMin)}–${fmtFixed(r.pairedMax)}`,
      fmtFixed(r.ratioOfMedians, 3),
      fmtFixed(r.cpuRatio, 3),
      target,
      verdict,
    ];
  });
  const ratios = markdownTable(
    ['ratio', 'req/s ratio (paired median)', 'rounds min–max', 'ratio of medians', 'CPU/req ratio (inverse)', 'target', ''],
    ratioRows,
    ['l', 'r', 'r', 'r', 'r', 'r', 'l'],
  );
  const notes = [];
  for (const c of Object.values(result.contenders)) {
    if (!c.check.ok) notes.push(`- ${c.name} was not timed: ${c.check.problems.join('; ')}`);
    if (c.check.headDiff) {
      const { extra, missing } = c.check.headDiff;
      notes.push(`- ${c.name} head differs from ${BASELINE}: adds [${extra.join(', ')}], lacks [${missing.join(', ')}]`);
    }
  }
  const o = result.options;
  return [
    `Generator: ${result.generator.version} — ${result.generator.command}; ${o.runs} rounds; per contender and round a fresh server process, ${o.warmup}s warm-up (discarded), ${o.duration}s timed; random order in each round (seed ${o.seed}); raw-native reads the body with ${o.nativeRead === 'reader' ? 'a stream reader' : 'arrayBuffer()'}; ${o.pinned ? `server pinned to core ${o.pinned.server}, generator to core ${o.pinned.generator}` : 'no CPU pinning'}.`,
    '',
    table,
    '',
    ratios,
    ...(notes.length ? ['', ...notes] : []),
  ].join('\n');
}
