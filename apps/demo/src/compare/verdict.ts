/**
 * The words under the columns: the scenario's deciding figure on every
 * backend, which backend it favours, and the bench engine's own
 * recommendation for the run (`recommend`, as `switchyard bench` prints it).
 */
import { fmtInt, fmtMiB, fmtMs, recommend, type BenchResult, type Recommendation } from '@switchyard/bench';
import type { CompareScenario, Deciding } from './scenarios.js';

export interface Verdict {
  /** "under CPU load, `/hello` p99 was 94 ms on reactor, 3 ms on pool, 36 ms on cluster." */
  sentence: string;
  /** The backend with the best deciding figure; absent when none was measured. */
  favoured?: string;
  /** The deciding figure of each backend, as the sentence uses it (NaN where not measured). */
  figures: Record<string, number>;
  deciding: Deciding;
  /** The engine's recommendation for this run. */
  recommendation: Pick<Recommendation, 'model' | 'clear' | 'reason' | 'warnings'>;
}

function format(deciding: Deciding, value: number): string {
  if (!Number.isFinite(value)) return 'not measured';
  if (deciding.figure === 'peakRssBytes') return fmtMiB(value);
  if (deciding.figure === 'rps') return fmtInt(value);
  return fmtMs(value);
}

/** The verdict on a finished run of `compare` under `models`, in their order. */
export function verdictOf(result: BenchResult, compare: CompareScenario, models: string[]): Verdict {
  const scenario = result.scenarios.find((s) => s.name === compare.scenario.name);
  const { deciding } = compare;
  const figures: Record<string, number> = {};
  for (const model of models) {
    const summary = scenario?.models[model]?.summary;
    const value = deciding.figure === 'probeP99Ms' ? summary?.probe?.p99Ms : summary?.[deciding.figure];
    figures[model] = typeof value === 'number' ? value : Number.NaN;
  }
  const measured = models.filter((model) => Number.isFinite(figures[model]));
  const favoured = measured.reduce<string | undefined>((best, model) => {
    if (best === undefined) return model;
    return deciding.better === 'lower' ? (figures[model]! < figures[best]! ? model : best) : figures[model]! > figures[best]! ? model : best;
  }, undefined);
  const list = models.map((model) => `${format(deciding, figures[model]!)} on ${model}`);
  const joined = list.length > 1 ? `${list.slice(0, -1).join(', ')} and ${list.at(-1)}` : (list[0] ?? '');
  const best = favoured && measured.length > 1 ? ` ${deciding.better === 'lower' ? 'Lowest' : 'Highest'} on ${favoured}.` : '';
  const sentence = `${compare.phrase[0]!.toUpperCase()}${compare.phrase.slice(1)}, ${deciding.label} was ${joined}.${best}`;
  const { model, clear, reason, warnings } = recommend(result);
  return { sentence, ...(favoured && { favoured }), figures, deciding, recommendation: { model, clear, reason, warnings } };
}
