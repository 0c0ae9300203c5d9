/** `--route` values (`/path`, `POST /path`) as requests, and one scenario per route. */
import { invalidOption } from '@switchyard/core';
import type { RequestSpec, Scenario } from '../types.js';

const METHOD = /^[A-Z]+$/;

/** `"/report?month=3"` or `"POST /upload"` as a request; GET by default. */
export function parseRoute(value: string | RequestSpec, option = 'routes'): RequestSpec {
  if (typeof value !== 'string') {
    if (value === null || typeof value !== 'object' || typeof value.path !== 'string' || !value.path.startsWith('/')) {
      throw invalidOption(option, 'a path starting with "/", or "METHOD /path"', value);
    }
    return value;
  }
  const parts = value.trim().split(/\s+/);
  const [method, path] = parts.length === 2 ? parts : ['GET', parts[0]];
  if (parts.length > 2 || !METHOD.test(method!) || !path?.startsWith('/')) {
    throw invalidOption(option, 'a path starting with "/", or "METHOD /path" (e.g. "/report?month=3", "POST /upload")', value);
  }
  return method === 'GET' ? { path } : { method: method!, path };
}

/** `GET /report?month=3`, as tables and the recommendation name a route. */
export function routeLabel(request: RequestSpec): string {
  return `${request.method ?? 'GET'} ${request.path}`;
}

/** A scenario name (`[a-z0-9-]+`) from the route, unique among `taken`. */
function scenarioName(request: RequestSpec, taken: Set<string>): string {
  const method = request.method && request.method !== 'GET' ? `${request.method.toLowerCase()}-` : '';
  const slug =
    `${method}${request.path
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')}`
      .slice(0, 40)
      .replace(/-$/, '') || 'root';
  let name = slug;
  for (let n = 2; taken.has(name); n++) name = `${slug}-${n}`;
  taken.add(name);
  return name;
}

/**
 * One load scenario per route, each expecting status 200. Every route but
 * the probe's own is timed with the probe beside it.
 */
export function routeScenarios(routes: RequestSpec[], probe: RequestSpec | undefined, connections: number | undefined): Scenario[] {
  const taken = new Set<string>();
  return routes.map((request) => ({
    name: scenarioName(request, taken),
    title: routeLabel(request),
    request,
    expect: { status: 200 },
    ...(connections !== undefined && { connections }),
    ...(probe && routeLabel(probe) !== routeLabel(request) && { probe: { request: probe } }),
  }));
}
