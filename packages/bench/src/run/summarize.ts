/** Medians, spreads, ratios to the baseline, and the best model of a scenario. */
import { max, median, min, spread, sum } from '../stats.js';
import type { ClassicModelResult, ContenderName, IsolationRatios, ModelResult, ModelSummary, ProbeSample, Ratios, Sample, ScenarioResult } from '../types.js';

/** Above this share of failed requests (errors, non-2xx, timeouts), a model cannot be best. */
export const MAX_ERROR_RATE = 0.01;
/** Below this share of idle connections held, a model cannot be best in an idle scenario. */
export const MIN_IDLE_HELD = 0.99;

export function summarize(samples: Sample[]): ModelSummary | undefined {
  if (samples.length === 0) return undefined;
  const pick = (key: keyof Sample) => samples.map((s) => s[key] as number);
  const rps = pick('rps');
  const summary: ModelSummary = {
    rps: median(rps),
    rpsMin: min(rps),
    rpsMax: max(rps),
    spread: spread(rps),
    p50Ms: median(pick('p50Ms')),
    p99Ms: median(pick('p99Ms')),
    maxMs: max(pick('maxMs')),
    requests: sum(pick('requests')),
    errors: sum(pick('errors')),
    non2xx: sum(pick('non2xx')),
    timeouts: sum(pick('timeouts')),
    cpuUsPerReq: median(pick('cpuUsPerReq')),
    serverCores: median(pick('serverCores')),
    peakRssBytes: max(pick('peakRssBytes')),
  };
  const probes = samples.map((s) => s.probe).filter((p) => p !== undefined);
  if (probes.length) summary.probe = summarizeProbe(probes);
  const idle = samples.map((s) => s.idle).filter((i) => i !== undefined);
  if (idle.length) {
    const perConnection = median(idle.map((i) => i.bytesPerConnection));
    // The curve of the run whose figure is the median, so the chart shows a run that happened.
    const typical = idle.reduce((a, b) => (Math.abs(b.bytesPerConnection - perConnection) < Math.abs(a.bytesPerConnection - perConnection) ? b : a));
    summary.idle = {
      requested: idle[0]!.requested,
      held: median(idle.map((i) => i.held)),
      heldAfter: median(idle.map((i) => i.heldAfter)),
      bytesPerConnection: perConnection,
      curve: typical.curve,
    };
  }
  return summary;
}

function summarizeProbe(probes: ProbeSample[]): ProbeSample {
  const pick = (key: keyof ProbeSample) => probes.map((p) => p[key] ?? Number.NaN);
  const summary: ProbeSample = {
    requests: sum(pick('requests')),
    errors: sum(pick('errors')),
    p50Ms: median(pick('p50Ms')),
    p99Ms: median(pick('p99Ms')),
    maxMs: max(pick('maxMs')),
  };
  // Open loop: what was sent on the schedule, and what was still waiting at the end.
  if (probes.some((p) => p.sent !== undefined)) {
    Object.assign(summary, { sent: sum(pick('sent')), unanswered: sum(pick('unanswered')), oldestUnansweredMs: max(pick('oldestUnansweredMs')) });
  }
  return summary;
}

export function errorRate(summary: ModelSummary): number {
  const failed = summary.errors + summary.non2xx + summary.timeouts;
  const total = summary.requests + summary.errors + summary.timeouts;
  return total > 0 ? failed / total : 1;
}

/** req/s of `model` over `baseline`'s in the same round, one per round both ran: a machine's drift between rounds cancels. */
export function pairedRps(model: ModelResult, baseline: ModelResult): number[] {
  const paired: number[] = [];
  for (const sample of model.samples) {
    const other = baseline.samples.find((s) => s.round === sample.round);
    if (other && other.rps > 0) paired.push(sample.rps / other.rps);
  }
  return paired;
}

/** `model` over `baseline`; req/s paired within each round (see pairedRps). */
export function ratios(model: ModelResult, baseline: ModelResult): Ratios | undefined {
  const a = model.summary;
  const b = baseline.summary;
  if (!a || !b) return undefined;
  const paired = pairedRps(model, baseline);
  const rps = paired.length ? median(paired) : a.rps / b.rps;
  return {
    rps,
    rpsMin: paired.length ? min(paired) : rps,
    rpsMax: paired.length ? max(paired) : rps,
    p99: a.p99Ms / b.p99Ms,
    cpu: a.cpuUsPerReq / b.cpuUsPerReq,
    peakRss: a.peakRssBytes / b.peakRssBytes,
  };
}

/** Fills in summaries, ratios, error rates and the best model. */
export function finishScenario(result: ScenarioResult): ScenarioResult {
  const entries = Object.values(result.models);
  for (const entry of entries) {
    entry.summary = summarize(entry.samples);
    if (entry.summary) entry.errorRate = errorRate(entry.summary);
    if (entry.status === 'ok' && !entry.summary) entry.status = 'failed';
  }
  const baseline = result.models[result.baseline];
  for (const entry of entries) {
    const ratio = baseline ? ratios(entry, baseline) : undefined;
    if (ratio) entry.ratio = ratio;
  }
  const eligible = entries.filter((entry) => {
    if (entry.model === result.baseline || entry.status !== 'ok' || !entry.summary) return false;
    if ((entry.errorRate ?? 1) > MAX_ERROR_RATE) return false;
    const idle = entry.summary.idle;
    return !idle || idle.held >= idle.requested * MIN_IDLE_HELD;
  });
  if (result.isolation) result.isolation.rpsRatios = isolationRatios(result);
  const best = eligible.reduce<ModelResult | undefined>((a, b) => (!a || b.summary!.rps > a.summary!.rps ? b : a), undefined);
  if (best) {
    result.best = best.model;
    result.tiedWithBest = eligible.filter((e) => e !== best && e.summary!.rpsMax >= best.summary!.rpsMin).map((e) => e.model);
  }
  return result;
}

/** The isolation cell's throughput ratios: the median of the per-round pairs, where both models were measured. */
function isolationRatios(result: ScenarioResult): IsolationRatios {
  const ratio = (a: ContenderName, b: ContenderName) => {
    const x = result.models[a];
    const y = result.models[b];
    return x?.summary && y?.summary ? median(pairedRps(x, y)) : undefined;
  };
  const out: IsolationRatios = {};
  const pairs = [
    ['poolToReactor', 'pool', 'reactor'],
    ['poolToCluster', 'pool', 'cluster'],
    ['clusterToReactor', 'cluster', 'reactor'],
  ] as const;
  for (const [key, a, b] of pairs) {
    const value = ratio(a, b);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

export function summarizeClassic(entry: ClassicModelResult): void {
  const { samples } = entry;
  if (!samples.length) {
    if (entry.status === 'ok') entry.status = 'failed';
    return;
  }
  const rps = samples.map((s) => s.rps);
  const failed = samples.map((s) => s.failed);
  entry.summary = {
    rps: median(rps),
    rpsMin: min(rps),
    rpsMax: max(rps),
    failed: median(failed),
    failedMin: min(failed),
    failedMax: max(failed),
    p50Ms: median(samples.map((s) => s.p50Ms)),
    p99Ms: median(samples.map((s) => s.p99Ms)),
    maxMs: max(samples.map((s) => s.maxMs)),
  };
}
