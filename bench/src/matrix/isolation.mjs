/**
 * The isolation grid: `/cpu?ms=&kind=` loaded with 16 or 256 connections
 * while an open-loop client probes `/hello` at a fixed rate, under the
 * three Switchyard models. Does a cheap request stay fast beside expensive
 * work, and what throughput does the expensive route keep?
 */

export const ISOLATION_WORKS = ['js', 'native'];
export const ISOLATION_COSTS_MS = [1, 5, 20, 100];
export const ISOLATION_CONNECTIONS = [16, 256];
export const ISOLATION_MODELS = ['reactor', 'pool', 'cluster'];
/** Milliseconds between the probe's scheduled sends: 100 cheap requests a second. */
export const PROBE_EVERY_MS = 10;
/**
 * Seconds before a request counts as timed out, at least: 256 connections
 * of 100 ms on one event loop queue 25.6 s of work, and a cheap request can
 * wait up to two turns of that queue. The same bound limits the wait for a
 * server to finish what a load left behind.
 */
export const ISOLATION_TIMEOUT_S = 60;
/** The cell the quick profile runs, to prove the pipeline (probe, drain, table, charts). */
export const QUICK_ISOLATION_CELL = 'isolation-js-5ms-c16';

const WORK_TITLE = { js: 'JavaScript', native: 'native (one pbkdf2Sync call)' };

export const isolationName = (work, ms, connections) => `isolation-${work}-${ms}ms-c${connections}`;

/** Every cell, by kind of work, cost, then connections. */
export const ISOLATION_NAMES = ISOLATION_WORKS.flatMap((work) =>
  ISOLATION_COSTS_MS.flatMap((ms) => ISOLATION_CONNECTIONS.map((connections) => isolationName(work, ms, connections))),
);

/** `answer(kind, ms)` gives the expected rounds and digest (prepareServices); `cheap` the probed request and its answer. */
export function isolationScenarios(answer, { cheap, timeout }) {
  return ISOLATION_WORKS.flatMap((work) =>
    ISOLATION_COSTS_MS.flatMap((ms) =>
      ISOLATION_CONNECTIONS.map((connections) => {
        const { rounds, digest } = answer(work, ms);
        return {
          name: isolationName(work, ms, connections),
          title: `${ms} ms of ${WORK_TITLE[work]} work per request, ${connections} connections, ${cheap.path} probed beside it`,
          description:
            `Isolation: ${rounds} units of ${work} work per request (calibrated at start), while an open-loop client sends ${cheap.path} every ${PROBE_EVERY_MS} ms ` +
            "and times each from its scheduled send: what a cheap request waits beside expensive ones, and the expensive route's throughput.",
          request: { path: `/cpu?ms=${ms}&kind=${work}` },
          expect: { status: 200, json: { ms, kind: work, rounds, digest } },
          connections,
          models: ISOLATION_MODELS,
          probe: { request: cheap, everyMs: PROBE_EVERY_MS, openLoop: true },
          timeout: Math.max(timeout, ISOLATION_TIMEOUT_S),
          drain: true,
          isolation: { work, costMs: ms },
        };
      }),
    ),
  );
}
