/**
 * Runs groups of micro tasks with tinybench and formats them as markdown.
 *
 * Each sample runs its operation a batch of times, sized so that one sample
 * takes about 20 µs: the timer's own cost and granularity then stay out of
 * sub-microsecond figures. A task whose one call already does many
 * operations (`perCall`, e.g. 64 requests in flight) is divided by that too.
 * Results are per operation; the first task of a group is its reference.
 */
import { Bench } from 'tinybench';
import { fmtFixed, fmtInt, fmtNs, markdownTable } from '@switchyard/bench';

export const MICRO_DEFAULTS = {
  /** Milliseconds of sampling per task (tinybench `time`). */
  time: 500,
  /** Milliseconds of warm-up per task. */
  warmupTime: 200,
};

/** Target duration of one sample, in nanoseconds. */
export const SAMPLE_NS = 20_000;
// Results land here so no construction can be optimised away.
let sink;

/** Runs the task for ~20 ms (at least twice) to pick a power-of-two batch that makes one sample last about SAMPLE_NS. */
async function batchSize(task) {
  let n = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < 20e6 || n < 2) {
    sink = task.async ? await task.fn() : task.fn();
    n++;
    elapsed = Number(process.hrtime.bigint() - start);
  }
  const perCall = elapsed / n;
  return Math.min(4096, Math.max(task.minBatch ?? 16, 2 ** Math.round(Math.log2(SAMPLE_NS / perCall))));
}

function batched(task, batch) {
  if (task.async) {
    return async () => {
      for (let i = 0; i < batch; i++) sink = await task.fn();
    };
  }
  return () => {
    for (let i = 0; i < batch; i++) sink = task.fn();
  };
}

/**
 * One group: `tasks` of `{ name, fn, async?, perCall?, minBatch?, verify? }`.
 * `verify` gets one result and returns a problem, or undefined.
 */
export async function runGroup(group, options, log) {
  const problems = new Map();
  for (const task of group.tasks) {
    if (!task.verify) continue;
    const problem = await task.verify(await task.fn());
    if (problem) problems.set(task.name, problem);
  }
  const bench = new Bench({ name: group.name, time: options.time, warmupTime: options.warmupTime, throws: true });
  const batches = new Map();
  for (const task of group.tasks) {
    const batch = await batchSize(task);
    batches.set(task.name, batch);
    bench.add(task.name, batched(task, batch));
  }
  log(`micro: ${group.name} (${group.tasks.length} tasks)`);
  await bench.run();
  const rows = bench.tasks.map((t, i) => {
    const latency = t.result.latency;
    const ops = batches.get(t.name) * (group.tasks[i].perCall ?? 1);
    const nsPerOp = (latency.p50 * 1e6) / ops;
    return {
      name: t.name,
      batch: batches.get(t.name),
      perCall: group.tasks[i].perCall ?? 1,
      nsPerOp,
      meanNsPerOp: (latency.mean * 1e6) / ops,
      opsPerSec: 1e9 / nsPerOp,
      rme: latency.rme,
      samples: latency.samples?.length ?? t.runs,
      problem: problems.get(t.name),
    };
  });
  for (const row of rows) row.relative = rows[0].nsPerOp / row.nsPerOp;
  return { name: group.name, note: group.note, rows };
}

/** Runs a suite: `load()` gives `{ groups, close? }`; `close` runs whatever happens. */
export async function runSuite(suite, options, log) {
  const { groups, close } = await suite.load();
  const results = [];
  try {
    for (const group of groups) results.push(await runGroup(group, options, log));
  } finally {
    await close?.();
  }
  return { name: suite.name, title: suite.title, groups: results };
}

export function groupMarkdown(group) {
  const parts = [`**${group.name}**`, ''];
  if (group.note) parts.push(group.note, '');
  parts.push(
    markdownTable(
      ['task', 'time/op (median)', 'ops/s', '± rme', 'vs first'],
      group.rows.map((r) => [r.problem ? `${r.name} ⚠` : r.name, fmtNs(r.nsPerOp), fmtInt(r.opsPerSec), `${fmtFixed(r.rme, 1)}%`, `×${fmtFixed(r.relative)}`]),
      ['l', 'r', 'r', 'r', 'r'],
    ),
  );
  for (const r of group.rows) if (r.problem) parts.push(`\n⚠ ${r.name}: ${r.problem}`);
  return parts.join('\n');
}

export function sinkType() {
  return typeof sink;
}
