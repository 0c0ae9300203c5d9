/** How progress lines name a scenario. */
import type { RequestSpec } from '../types.js';

/**
 * `switchyard bench` names each route's scenario with a slug of it, for
 * file names (`cpu-ms-50`; `root` for `/`, which has no letters), and titles
 * it with the route itself (`GET /`): that is what the user typed and what
 * the table shows, so progress lines show it too. Any other scenario goes by
 * its short name.
 */
export function scenarioLabel(scenario: { name: string; title?: string; request: Pick<RequestSpec, 'method' | 'path'> }): string {
  const route = `${scenario.request.method ?? 'GET'} ${scenario.request.path}`;
  return scenario.title === route ? route : scenario.name;
}
