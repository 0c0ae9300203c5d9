/**
 * The operations runner's contenders: each backend as it ships (metrics
 * and access logs off), with `/metrics` on, and with access logs on, on
 * the same hello-world app; raw node:http as the reference.
 */
import { fileURLToPath } from 'node:url';

export const APP = fileURLToPath(new URL('../apps/hello-fast.mjs', import.meta.url));
export const BACKENDS = ['reactor', 'pool', 'cluster'];
export const VARIANTS = ['metrics', 'log'];

const VARIANT_NOTES = {
  metrics: "metrics on (`/metrics` on the server's port, never scraped during the run)",
  log: 'access logs on (SWITCHYARD_LOG=info: one JSON line per request through pino to stdout, a pipe the runner reads)',
};

/** The engine's models, contenders and pairs for `backends`. */
export function opsLineup(backends) {
  const contenders = {};
  const pairs = [];
  for (const backend of backends) {
    contenders[`${backend}-metrics`] = { model: backend, serve: { metrics: '/metrics' }, note: `@switchyard/${backend}, ${VARIANT_NOTES.metrics}` };
    contenders[`${backend}-log`] = { model: backend, env: { SWITCHYARD_LOG: 'info' }, note: `@switchyard/${backend}, ${VARIANT_NOTES.log}` };
    for (const variant of VARIANTS) pairs.push({ model: `${backend}-${variant}`, over: backend });
  }
  return { models: ['raw', ...backends], contenders, pairs };
}
