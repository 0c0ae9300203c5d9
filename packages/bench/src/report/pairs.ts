/** The table of a scenario's pairs (`BenchOptions.pairs`), for the markdown and HTML reports. */
import { fmtFixed } from '../format.js';
import type { PairRatio, ScenarioResult } from '../types.js';
import type { Table } from './tables.js';

/**
 * Below this many cores of server CPU in the less busy of the two, that
 * server was not the bottleneck (the generator or a neighbour was): its
 * req/s ratio says little, the CPU ratio still holds.
 */
export const SATURATED_PAIR_CORES = 0.85;

function verdict(pair: PairRatio): string {
  if (!Number.isFinite(pair.rps)) return pair.why ?? 'not measured';
  let text = pair.target === undefined ? 'reported' : pair.meetsTarget ? 'meets target' : 'BELOW TARGET';
  if (pair.leastCores < SATURATED_PAIR_CORES) text += ` (a server used ${fmtFixed(pair.leastCores)} cores: not saturated; read the CPU ratio)`;
  return text;
}

/** Undefined when the scenario has no pairs. */
export function pairsTable(scenario: ScenarioResult): Table | undefined {
  if (!scenario.pairs?.length) return undefined;
  const header = [
    'ratio',
    'req/s ratio (paired median)',
    'rounds min–max',
    'ratio of medians',
    'CPU / req ratio (inverse)',
    'least server cores',
    'target',
    'verdict',
  ];
  const rows = scenario.pairs.map((pair) => {
    const target = pair.target === undefined ? '—' : `≥ ${pair.target}`;
    if (!Number.isFinite(pair.rps)) return [pair.label, 'n/a', '', '', '', '', target, verdict(pair)];
    return [
      pair.label,
      fmtFixed(pair.rps, 3),
      `${fmtFixed(pair.rpsMin)}–${fmtFixed(pair.rpsMax)}`,
      fmtFixed(pair.ratioOfMedians, 3),
      fmtFixed(pair.cpu, 3),
      fmtFixed(pair.leastCores),
      target,
      verdict(pair),
    ];
  });
  return { header, align: header.map((_, i) => (i === 0 || i === header.length - 1 ? 'l' : 'r')), rows, strong: [] };
}
