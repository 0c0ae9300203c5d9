/**
 * The isolation grid as one table: a row per cell (kind of work, cost,
 * connections), and per model the cheap route's p50 and p99 beside the
 * load and the expensive route's req/s, then the pool's req/s over the
 * reactor's and the cluster's.
 */
import { fmtFixed, fmtInt, fmtMs } from '../format.js';
import type { BenchResult, ModelName, ModelResult, ProbeSample, ScenarioResult } from '../types.js';
import type { Table } from './tables.js';

/** The models an isolation grid compares, in the order its columns show them. */
export const ISOLATION_MODELS: readonly ModelName[] = ['reactor', 'pool', 'cluster'];

export type IsolationScenario = ScenarioResult & { isolation: NonNullable<ScenarioResult['isolation']> };

/** The grid's cells, ordered by kind of work, cost, then connections. */
export function isolationCells(result: BenchResult): IsolationScenario[] {
  return result.scenarios
    .filter((s): s is IsolationScenario => s.isolation !== undefined)
    .sort((a, b) => a.isolation.work.localeCompare(b.isolation.work) || a.isolation.costMs - b.isolation.costMs || a.connections - b.connections);
}

/** The models measured in at least one cell. */
export function isolationModels(cells: IsolationScenario[]): ModelName[] {
  return ISOLATION_MODELS.filter((model) => cells.some((cell) => cell.models[model]));
}

/** One small multiple: the cells of one kind of work at one connection count, by cost. */
export interface IsolationPanel {
  work: string;
  connections: number;
  /** Indexes into `result.scenarios`, by cost. */
  scenarios: number[];
}

export function isolationPanels(result: BenchResult): IsolationPanel[] {
  const panels: IsolationPanel[] = [];
  for (const cell of isolationCells(result)) {
    let panel = panels.find((p) => p.work === cell.isolation.work && p.connections === cell.connections);
    if (!panel) panels.push((panel = { work: cell.isolation.work, connections: cell.connections, scenarios: [] }));
    panel.scenarios.push(result.scenarios.indexOf(cell));
  }
  // By work, then connections: the order of the table.
  return panels.sort((a, b) => a.work.localeCompare(b.work) || a.connections - b.connections);
}

/**
 * Whether a probe figure is a lower bound: cheap requests that had already
 * waited at least that long were still unanswered at the end. (Results
 * without the oldest age: any unanswered request.)
 */
export function lowerBound(probe: ProbeSample, figure: number): boolean {
  if (!probe.unanswered) return false;
  return probe.oldestUnansweredMs === undefined || !Number.isFinite(probe.oldestUnansweredMs) || probe.oldestUnansweredMs >= figure;
}

function cheap(entry: ModelResult | undefined, key: 'p50Ms' | 'p99Ms'): string {
  const probe = entry?.summary?.probe;
  if (!probe) return entry ? entry.status : '';
  return `${lowerBound(probe, probe[key]) ? '≥ ' : ''}${fmtMs(probe[key])}`;
}

function rps(entry: ModelResult | undefined): string {
  if (!entry?.summary) return entry ? entry.status : '';
  return fmtInt(entry.summary.rps);
}

const ratio = (value: number | undefined) => (value === undefined || !Number.isFinite(value) ? '—' : `${fmtFixed(value)}×`);

export function isolationTable(result: BenchResult): Table {
  const cells = isolationCells(result);
  const models = isolationModels(cells);
  const ratios = [
    ...(models.includes('pool') && models.includes('reactor') ? [['pool ÷ reactor', 'poolToReactor'] as const] : []),
    ...(models.includes('pool') && models.includes('cluster') ? [['pool ÷ cluster', 'poolToCluster'] as const] : []),
  ];
  const header = [
    'work',
    'cost',
    'connections',
    ...models.flatMap((m) => [`${m} p50`, `${m} p99`, `${m} req/s`]),
    ...ratios.map(([label]) => `req/s ${label}`),
  ];
  const rows = cells.map((cell) => [
    cell.isolation.work,
    `${cell.isolation.costMs} ms`,
    fmtInt(cell.connections),
    ...models.flatMap((m) => [cheap(cell.models[m], 'p50Ms'), cheap(cell.models[m], 'p99Ms'), rps(cell.models[m])]),
    ...ratios.map(([, key]) => ratio(cell.isolation.rpsRatios[key])),
  ]);
  return { header, align: header.map((_, i) => (i === 0 ? 'l' : 'r')), rows, strong: [] };
}

/** The sentence above the table: what the columns are. */
export function isolationLegend(result: BenchResult): string {
  const cells = isolationCells(result);
  const probe = cells.find((cell) => cell.probe)?.probe;
  const cheapRoute = probe
    ? `\`${probe.method} ${probe.path}\` (the cheap route) is sent every ${probe.everyMs} ms ${probe.openLoop ? 'on a fixed schedule (open loop) and timed from each scheduled send' : 'after each answer (closed loop)'}`
    : 'the cheap route is probed';
  return (
    `Each row is one cell of the grid: the expensive route is loaded with the row's connections while ${cheapRoute}. ` +
    `p50 and p99 are the cheap route's latency beside the load (median over runs; ≥ marks a lower bound: cheap requests that had already waited that long were still unanswered at the end, and count by their age then); ` +
    `req/s is the expensive route's throughput (median over runs); the ratios pair the models' req/s round by round (median).`
  );
}
