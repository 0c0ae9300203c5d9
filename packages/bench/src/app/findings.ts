/**
 * What each route showed: how long its handler holds the event loop under
 * the reference (reactor), which model served it best, and what the probe
 * waited beside it.
 */
import { MAX_ERROR_RATE } from '../run/summarize.js';
import type { AppModelName, ModelResult, ModelSummary, RouteFinding, ScenarioResult } from '../types.js';

/**
 * CPU time per request under reactor, in ms, from which a handler is
 * flagged as blocking the event loop. At 10 ms one process serves at most
 * 100 such requests a second, and each one delays every other request on
 * that process by as much: a cheap route's p99 then counts in tens of ms.
 */
export const BLOCKING_MS = 10;
/** A model wins a route clearly when its req/s is at least this many times the reference's in the median round, and above it in every round. */
export const CLEAR_GAIN = 1.2;

/** Measured with few enough failed requests to count. */
export function servedWell(entry: ModelResult | undefined): entry is ModelResult & { summary: ModelSummary } {
  return entry !== undefined && entry.status === 'ok' && entry.summary !== undefined && (entry.errorRate ?? 1) <= MAX_ERROR_RATE;
}

/** Clearly more req/s than the reference: paired per round, so one noisy round cannot make a winner. */
export function clearlyFaster(entry: ModelResult): boolean {
  return entry.ratio !== undefined && entry.ratio.rps >= CLEAR_GAIN && entry.ratio.rpsMin > 1;
}

/** Clearly fewer req/s than the reference: the price of a model on that route. */
export function clearlySlower(entry: ModelResult): boolean {
  return entry.ratio !== undefined && entry.ratio.rps <= 1 / CLEAR_GAIN && entry.ratio.rpsMax < 1;
}

/** Each model's problems, said once when every model had the same. */
function problemsOf(entries: ModelResult[]): string[] {
  const all = entries.flatMap((entry) => entry.problems.map((problem) => ({ model: entry.model, problem })));
  const distinct = [...new Set(all.map((p) => p.problem))];
  if (distinct.length === 1 && entries.every((e) => e.problems.includes(distinct[0]!))) return distinct;
  return all.map(({ model, problem }) => `${model}: ${problem}`);
}

export function routeFinding(scenario: ScenarioResult, blockingMs = BLOCKING_MS): RouteFinding {
  const route = scenario.title;
  const entries = Object.values(scenario.models) as ModelResult[];
  const reference = scenario.models[scenario.baseline];
  const finding: RouteFinding = {
    route,
    scenario: scenario.name,
    status: 'ok',
    problems: [],
    served: [],
    blocking: false,
    clear: false,
    clearlyFaster: [],
    rpsRatio: {},
    probeP99Ms: {},
  };
  const served = entries.filter(servedWell);
  finding.served = served.map((entry) => entry.model as AppModelName);
  finding.problems = problemsOf(entries);
  if (served.length === 0) {
    finding.status = 'failed';
    // A model with many failed requests says so in its error rate, not its problems.
    if (finding.problems.length === 0)
      finding.problems = entries.map((e) => `${e.model}: ${e.summary ? `${Math.round((e.errorRate ?? 1) * 100)}% of requests failed` : 'not measured'}`);
    return finding;
  }
  // The reference's CPU time stands even when it failed requests: it is what one request costs the loop.
  if (reference?.summary) {
    finding.cpuMs = reference.summary.cpuUsPerReq / 1000;
    finding.blocking = finding.cpuMs >= blockingMs;
  }
  for (const entry of entries) {
    const model = entry.model as AppModelName;
    if (entry.ratio) finding.rpsRatio[model] = entry.ratio.rps;
    if (entry.summary?.probe) finding.probeP99Ms[model] = entry.summary.probe.p99Ms;
  }
  // The sequential baseline shows what the others avoid; it is never the advice.
  const contenders = served.filter((entry) => entry.model !== 'sequential');
  const beatable = servedWell(reference);
  finding.clearlyFaster = contenders.filter((e) => e.model !== scenario.baseline && (!beatable || clearlyFaster(e))).map((e) => e.model as AppModelName);
  const best = contenders.reduce<(typeof contenders)[number] | undefined>((a, b) => (!a || b.summary.rps > a.summary.rps ? b : a), undefined);
  if (best && finding.clearlyFaster.includes(best.model as AppModelName)) {
    finding.winner = best.model as AppModelName;
    finding.clear = true;
  } else if (beatable) finding.winner = scenario.baseline as AppModelName;
  return finding;
}
