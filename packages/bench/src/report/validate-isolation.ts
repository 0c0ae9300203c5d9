/** The checks of the probe's figures and of an isolation cell, for validate.ts: shape only, never values. */
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const isFigure = (v: unknown) => v === null || typeof v === 'number';

/** Why a scenario's probe summary or isolation cell is malformed; `at` names the scenario. */
export function probeProblems(at: string, scenario: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const probe = scenario.probe;
  const cell = scenario.isolation;
  if (cell !== undefined) {
    if (!isObject(cell) || typeof cell.work !== 'string' || typeof cell.costMs !== 'number') problems.push(`${at}: isolation must name its work and cost`);
    else if (!isObject(cell.rpsRatios) || !Object.values(cell.rpsRatios).every(isFigure)) problems.push(`${at}: isolation.rpsRatios must hold figures`);
    if (!isObject(probe)) problems.push(`${at}: an isolation cell without a probe`);
  }
  if (probe === undefined) return problems;
  if (!isObject(probe) || typeof probe.path !== 'string' || typeof probe.everyMs !== 'number')
    return [...problems, `${at}: probe must name its path and interval`];
  const keys = ['requests', 'errors', 'p50Ms', 'p99Ms', 'maxMs', ...(probe.openLoop === true ? ['sent', 'unanswered'] : [])];
  // Written since the open loop counts the oldest unanswered request; checked where present.
  const optional = probe.openLoop === true ? ['oldestUnansweredMs'] : [];
  for (const [model, entry] of Object.entries(isObject(scenario.models) ? scenario.models : {})) {
    if (!isObject(entry) || entry.status !== 'ok' || !isObject(entry.summary)) continue;
    const figures = entry.summary.probe;
    if (!isObject(figures)) {
      problems.push(`${at} ${model}: a probed scenario without probe figures`);
      continue;
    }
    for (const key of keys) if (!isFigure(figures[key])) problems.push(`${at} ${model}: summary.probe.${key} is not a number`);
    for (const key of optional) if (key in figures && !isFigure(figures[key])) problems.push(`${at} ${model}: summary.probe.${key} is not a number`);
  }
  return problems;
}
