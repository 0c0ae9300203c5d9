/**
 * Ratios between two servers of a scenario beside the baseline's: a second
 * reference (a reactor with the global Response over raw node:http that
 * builds one), or one model over another (cluster over reactor). Paired
 * per round, as the baseline's are, so a machine's drift cancels.
 */
import { max, median, min } from '../stats.js';
import type { PairRatio, PairSpec, ScenarioResult } from '../types.js';
import { pairedRps } from './summarize.js';

/** Each of `pairs` whose two servers both ran in `scenario`, measured. */
export function pairRatios(scenario: ScenarioResult, pairs: readonly PairSpec[]): PairRatio[] {
  return pairs.filter((pair) => pair.model in scenario.models && pair.over in scenario.models).map((pair) => pairRatio(scenario, pair));
}

export function pairRatio(scenario: ScenarioResult, pair: PairSpec): PairRatio {
  const head = {
    label: pair.label ?? `${pair.model} / ${pair.over}`,
    model: pair.model,
    over: pair.over,
    ...(pair.target !== undefined && { target: pair.target }),
  };
  const a = scenario.models[pair.model];
  const b = scenario.models[pair.over];
  if (!a?.summary || !b?.summary) {
    const why = [a, b]
      .filter((entry) => entry && !entry.summary)
      .map((entry) => `${entry!.model} was not measured${entry!.problems[0] ? ` (${entry!.problems[0]})` : ''}`);
    return {
      ...head,
      rps: Number.NaN,
      rpsMin: Number.NaN,
      rpsMax: Number.NaN,
      ratioOfMedians: Number.NaN,
      cpu: Number.NaN,
      leastCores: Number.NaN,
      why: why.join('; ') || 'not run',
    };
  }
  const paired = pairedRps(a, b);
  const ratioOfMedians = a.summary.rps / b.summary.rps;
  const rps = paired.length ? median(paired) : ratioOfMedians;
  return {
    ...head,
    rps,
    rpsMin: paired.length ? min(paired) : rps,
    rpsMax: paired.length ? max(paired) : rps,
    ratioOfMedians,
    cpu: b.summary.cpuUsPerReq / a.summary.cpuUsPerReq,
    leastCores: Math.min(a.summary.serverCores, b.summary.serverCores),
    ...(pair.target !== undefined && Number.isFinite(rps) && { meetsTarget: rps >= pair.target }),
  };
}
