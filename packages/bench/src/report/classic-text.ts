/**
 * What the Apache Bench figures say about the common claim that an
 * asynchronous server beats a synchronous one, written from the figures of
 * this run so the text cannot drift from the table.
 */
import { fmtFixed, fmtInt, fmtMs } from '../format.js';
import type { BenchResult, ModelName } from '../types.js';

const ASYNC: ModelName[] = ['reactor', 'pool', 'cluster'];

export function classicExplanation(result: BenchResult): string[] {
  const classic = result.classic;
  if (classic?.status !== 'ran') return [];
  const seq = classic.models.sequential?.summary;
  const asyncs = ASYNC.map((model) => ({ model, s: classic.models[model]?.summary })).filter((a) => a.s !== undefined);
  if (!seq || asyncs.length === 0) return ['The sequential baseline or every async model is missing from this run, so there is nothing to compare.'];
  const best = asyncs.reduce((a, b) => (b.s!.rps > a.s!.rps ? b : a));
  const n = classic.requests;
  const out: string[] = [];
  out.push(
    `The common claim is that an asynchronous server beats a synchronous one. With ab's classic settings (a new connection for each of ${n} requests, ${classic.concurrency} at a time, on \`${classic.path}\`), ` +
      `the sequential server reported ${fmtInt(seq.rps)} req/s and the fastest async model, ${best.model}, ${fmtInt(best.s!.rps)} req/s (${fmtFixed(seq.rps / best.s!.rps)} ×).`,
  );
  const failedNote = seq.failed > 0 ? `${fmtInt(seq.failed)} of its ${n} requests failed` : 'no request failed';
  if (seq.failed > n * 0.01) {
    out.push(
      `But ${fmtInt(seq.failed)} of the sequential server's ${n} requests failed (dropped while ${result.settings.sequential.backlog} other connections waited their turn), against ${fmtInt(best.s!.failed)} for ${best.model}. ` +
        `ab divides all ${n} requests by the elapsed time whether they succeeded or not, so a server that fails requests quickly can print a high req/s that means nothing: read failed requests first. ` +
        `Its longest request took ${fmtMs(seq.maxMs)} against ${fmtMs(best.s!.maxMs)}.`,
    );
  } else if (seq.rps >= best.s!.rps * 0.7) {
    out.push(
      `And ${failedNote}: with a trivial handler and a new connection per request, setting up connections dominates, and serving them one after another costs little, so the sequential server keeps up. ` +
        `Waiting clients queue instead, which shows in the longest request (${fmtMs(seq.maxMs)} against ${fmtMs(best.s!.maxMs)}). On this test the claim does not hold; had requests failed, ab's req/s would still look as good, so read failed requests first.`,
    );
  } else {
    out.push(
      `Here ${failedNote}; the sequential server was slower by ${fmtFixed(best.s!.rps / seq.rps)} × and its longest request took ${fmtMs(seq.maxMs)} against ${fmtMs(best.s!.maxMs)}.`,
    );
  }
  // Where the claim does hold: the scenario in which the event loop's lead over the sequential server is largest.
  let widest: { name: string; seq: number; reactor: number } | undefined;
  for (const scenario of result.scenarios) {
    const s = scenario.models.sequential?.summary;
    const r = scenario.models.reactor?.summary;
    if (!s || !r || s.rps <= 0) continue;
    if (!widest || r.rps / s.rps > widest.reactor / widest.seq) widest = { name: scenario.name, seq: s.rps, reactor: r.rps };
  }
  if (widest && widest.reactor / widest.seq > 2) {
    out.push(
      `The claim holds where handlers wait: in the \`${widest.name}\` scenario the sequential server made ${fmtInt(widest.seq)} req/s and the reactor ${fmtInt(widest.reactor)} ` +
        `(${fmtFixed(widest.reactor / widest.seq, 0)} ×), because one event loop waits for many requests at once while a synchronous server waits for each in turn.`,
    );
  }
  return out;
}
