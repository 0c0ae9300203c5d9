/**
 * The overload scenario: the 20 ms CPU route flooded by 2,000 connections,
 * far past what two cores serve, while an open-loop client sends the
 * runner's `/readyz` every 100 ms to its metrics port, where a load
 * balancer would send it (answered on a thread of its own, never by the
 * app).
 * The three Switchyard models run it as they are by default (limits off)
 * and with `limits.maxEventLoopDelay: 50` (the `-limited` contenders): what
 * the health probe waits, how many requests are refused (non-2xx), and what
 * throughput the surviving requests keep. `bench:overload` measures the
 * same flood with probes on fresh connections, recovery and the work done
 * for departed clients.
 */

export const OVERLOAD_NAME = 'overload';
export const OVERLOAD_MODELS = ['reactor', 'pool', 'cluster'];
export const OVERLOAD_LIMITS = { maxEventLoopDelay: 50 };
/** The same models with the overload limits on, as contenders of the engine. */
export const OVERLOAD_CONTENDERS = Object.fromEntries(
  OVERLOAD_MODELS.map((model) => [
    `${model}-limited`,
    {
      model,
      serve: { limits: OVERLOAD_LIMITS },
      note: `${model} with limits.maxEventLoopDelay ${OVERLOAD_LIMITS.maxEventLoopDelay} ms: requests past it get 503`,
    },
  ]),
);
const COST_MS = 20;
const CONNECTIONS = 2000;
const PROBE_EVERY_MS = 100;
const TIMEOUT_S = 60;

/** `answer(kind, ms)` gives the expected rounds and digest (prepareServices). */
export function overloadScenario(answer, { timeout }) {
  const { rounds, digest } = answer('js', COST_MS);
  return {
    name: OVERLOAD_NAME,
    title: `${COST_MS} ms of JavaScript per request, ${CONNECTIONS.toLocaleString('en-US')} connections, readiness probed beside it`,
    description:
      `Overload: far more requests than the cores can serve, while an open-loop client sends the runner's /readyz to its metrics port every ${PROBE_EVERY_MS} ms. ` +
      `Each model runs as it is by default and with limits.maxEventLoopDelay ${OVERLOAD_LIMITS.maxEventLoopDelay} ms (-limited), which answers 503 past it: ` +
      'non-2xx counts the refused, the probe what a health check waits.',
    request: { path: `/cpu?ms=${COST_MS}&kind=js` },
    expect: { status: 200, json: { ms: COST_MS, kind: 'js', rounds, digest } },
    connections: CONNECTIONS,
    models: [...OVERLOAD_MODELS, ...Object.keys(OVERLOAD_CONTENDERS)],
    probe: { request: { path: '/readyz' }, everyMs: PROBE_EVERY_MS, openLoop: true, on: 'metrics' },
    timeout: Math.max(timeout, TIMEOUT_S),
    drain: true,
  };
}
