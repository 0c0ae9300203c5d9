/**
 * Which model to use for an app, and the measured reason. A route that
 * blocks the event loop decides first: the model that keeps the probe
 * (another route, timed beside it) fast, or serves it clearly faster, wins.
 * Without one, the model that is clearly faster on the most routes wins.
 * When nothing is clearly better, the reference stays: it is the simplest.
 */
import { fmtFixed, fmtMs } from '../format.js';
import type { AppModelName, BenchResult, Recommendation, RouteFinding, ScenarioResult } from '../types.js';
import { BLOCKING_MS, CLEAR_GAIN, clearlySlower, routeFinding } from './findings.js';

/** Beside a blocking route, a model keeps other routes responsive when the probe's p99 is at most this share of the reference's. */
export const PROBE_GAIN = 0.5;

const times = (ratio: number | undefined) => `${fmtFixed(ratio ?? Number.NaN)}×`;

interface Candidate {
  model: AppModelName;
  /** Routes it helps, most telling first. */
  helps: RouteFinding[];
  /** The tie-breaks, in order: summed probe p99 beside blocking routes (when clearly apart), routes clearly faster, summed req/s ratios. */
  probeMs: number;
  faster: number;
  ratios: number;
}

/** Fewer routes helped loses; then a clearly higher probe p99; then fewer routes clearly faster; then less req/s. */
function better(a: Candidate, b: Candidate): number {
  if (a.helps.length !== b.helps.length) return b.helps.length - a.helps.length;
  // Strict, so two equal sums (none, or no probe: 0 and Infinity) fall through.
  if (a.probeMs < b.probeMs * PROBE_GAIN) return -1;
  if (b.probeMs < a.probeMs * PROBE_GAIN) return 1;
  return b.faster - a.faster || b.ratios - a.ratios;
}

function probeLabel(scenario: ScenarioResult | undefined): string {
  return scenario?.probe ? `${scenario.probe.method} ${scenario.probe.path}` : 'other routes';
}

/** The probe beside `route` was at most PROBE_GAIN of the reference's under `model`. */
function keepsProbeFast(route: RouteFinding, model: AppModelName, reference: AppModelName): boolean {
  const mine = route.probeP99Ms[model];
  const theirs = route.probeP99Ms[reference];
  return mine !== undefined && theirs !== undefined && Number.isFinite(mine) && mine <= theirs * PROBE_GAIN;
}

function candidates(routes: RouteFinding[], models: AppModelName[], reference: AppModelName): Candidate[] {
  const blocking = routes.filter((r) => r.blocking);
  return (
    models
      .filter((model) => model !== reference && model !== 'sequential')
      // A model that cannot serve a route the reference serves is no advice.
      .filter((model) => !routes.some((r) => r.served.includes(reference) && !r.served.includes(model)))
      .map((model) => {
        const wins = (r: RouteFinding) => r.clearlyFaster.includes(model);
        const helps = blocking.length
          ? blocking.filter((r) => wins(r) || keepsProbeFast(r, model, reference)).sort((a, b) => (b.cpuMs ?? 0) - (a.cpuMs ?? 0))
          : routes.filter(wins).sort((a, b) => (b.rpsRatio[model] ?? 0) - (a.rpsRatio[model] ?? 0));
        const probeMs = blocking.reduce((sum, r) => sum + (r.probeP99Ms[model] ?? Number.POSITIVE_INFINITY), 0);
        const ratios = routes.reduce((sum, r) => sum + (r.rpsRatio[model] ?? 0), 0);
        return { model, helps, probeMs, faster: routes.filter(wins).length, ratios };
      })
      .filter((c) => c.helps.length > 0)
      .sort(better)
  );
}

function reasonFor(pick: Candidate, result: BenchResult, routes: RouteFinding[], reference: AppModelName): string {
  const route = pick.helps[0]!;
  const scenario = result.scenarios.find((s) => s.name === route.scenario);
  const entry = scenario?.models[pick.model];
  const ratio = entry?.ratio;
  const faster = route.clearlyFaster.includes(pick.model);
  const range = ratio && result.settings.runs > 1 ? ` (${fmtFixed(ratio.rpsMin)}–${fmtFixed(ratio.rpsMax)}× over ${result.settings.runs} rounds)` : '';
  const parts: string[] = [];
  if (route.blocking) {
    parts.push(`${route.route} spends ${fmtMs(route.cpuMs!)} on the CPU per request`);
    const theirs = route.probeP99Ms[reference];
    if (theirs !== undefined) {
      // The pick first, then the others, so the comparison is in the sentence.
      const beside = (Object.entries(route.probeP99Ms) as [AppModelName, number][])
        .filter(([model]) => model !== reference)
        .sort(([a], [b]) => (a === pick.model ? -1 : b === pick.model ? 1 : 0))
        .map(([model, ms]) => `${model}: ${fmtMs(ms)}`);
      parts.push(`under ${reference}, p99 of ${probeLabel(scenario)} grows to ${fmtMs(theirs)} while it runs (${beside.join(', ')})`);
    }
    if (faster) parts.push(`${pick.model} serves it at ${times(ratio?.rps)} ${reference}'s req/s${range}`);
  } else {
    parts.push(`it serves ${route.route} at ${times(ratio?.rps)} ${reference}'s req/s${range}`);
  }
  const others = pick.helps.slice(1).map((r) => r.route);
  if (others.length) parts.push(`likewise ${others.join(', ')}`);
  const also = routes.filter((r) => !r.blocking && route.blocking && r.clearlyFaster.includes(pick.model));
  if (also.length) parts.push(`it is also clearly faster on ${also.map((r) => `${r.route} (${times(r.rpsRatio[pick.model])})`).join(', ')}`);
  const costs = routes.filter((r) => {
    const other = result.scenarios.find((s) => s.name === r.scenario)?.models[pick.model];
    return other !== undefined && clearlySlower(other);
  });
  if (costs.length) parts.push(`the price: ${costs.map((r) => `${r.route} at ${times(r.rpsRatio[pick.model])}`).join(', ')} ${reference}'s req/s`);
  return `${pick.model}: ${parts.join('; ')}.`;
}

function warningsFor(result: BenchResult, routes: RouteFinding[], reference: AppModelName, blockingMs: number): string[] {
  const warnings: string[] = [];
  for (const route of routes) {
    if (route.status === 'failed') warnings.push(`${route.route} could not be measured: ${route.problems.join('; ')}`);
    if (!route.blocking) continue;
    const scenario = result.scenarios.find((s) => s.name === route.scenario);
    const probe = route.probeP99Ms[reference];
    warnings.push(
      `${route.route} blocks the event loop: ${fmtMs(route.cpuMs!)} of CPU per request under ${reference} (threshold ${blockingMs} ms)` +
        `${probe !== undefined ? `; beside it, p99 of ${probeLabel(scenario)} was ${fmtMs(probe)}` : ''}. ` +
        'Every other request to that process waits while it runs: move the work to worker threads (pool) or make it asynchronous.',
    );
  }
  return warnings;
}

/** The recommendation for a finished `benchApp` run. */
export function recommend(result: BenchResult, blockingMs = BLOCKING_MS): Recommendation {
  const routes = result.scenarios.map((scenario) => routeFinding(scenario, blockingMs));
  const reference = (result.scenarios[0]?.baseline ?? 'reactor') as AppModelName;
  const models = result.settings.models as AppModelName[];
  const warnings = warningsFor(result, routes, reference, blockingMs);
  const pick = candidates(routes, models, reference)[0];
  // One round has no spread to look beyond.
  const once = result.settings.runs === 1 ? ' One round only: run again without --quick (or with more --runs) before acting on it.' : '';
  if (pick) return { model: pick.model, clear: true, reason: reasonFor(pick, result, routes, reference) + once, routes, warnings };

  // Nothing clearly better: say how close the nearest came, so "no" is a measured answer too.
  let nearest: { model: AppModelName; route: string; ratio: number } | undefined;
  for (const route of routes) {
    for (const [model, ratio] of Object.entries(route.rpsRatio) as [AppModelName, number][]) {
      if (model !== reference && model !== 'sequential' && (!nearest || ratio > nearest.ratio)) nearest = { model, route: route.route, ratio };
    }
  }
  const detail = nearest
    ? ` (the nearest: ${nearest.model} at ${times(nearest.ratio)} ${reference}'s req/s on ${nearest.route}, below the ${fmtFixed(CLEAR_GAIN, 1)}× bar or within the runs' spread)`
    : '';
  const blocked = routes.some((r) => r.blocking) ? '; the blocking route(s) above still hold the loop: fix them in the handler' : '';
  const reason = routes.every((r) => r.status === 'failed')
    ? `${reference}: nothing could be measured, see the warnings.`
    : `${reference}: no model wins clearly; stay on ${reference}, the simplest${detail}${blocked}.${once}`;
  return { model: reference, clear: false, reason, routes, warnings };
}
