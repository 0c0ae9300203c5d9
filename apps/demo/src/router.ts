import { FastResponse, type AppContext } from '@switchyard/core';
import { HttpError } from './http-error.js';
import { allowedMethods, allowHeader, headOnly } from './methods.js';
import type { Route } from './route.js';

/**
 * Finds the route for a pathname (an exact path first, then the longest
 * matching prefix) and answers a method it does not take with 405 and
 * `Allow`, so that every route keeps the README's promise in one place.
 */
export function createRouter(routes: readonly Route[]) {
  const exact = new Map<string, Route>();
  const prefixes: Route[] = [];
  for (const route of routes) {
    if (route.path.endsWith('/') && route.path !== '/') prefixes.push(route);
    else exact.set(route.path, route);
  }
  prefixes.sort((a, b) => b.path.length - a.path.length);
  const allowed = new Map(routes.map((route) => [route, { methods: new Set(allowedMethods(route)), header: allowHeader(route) }]));

  const find = (pathname: string): Route | undefined =>
    exact.get(pathname) ?? prefixes.find((route) => pathname.startsWith(route.path) || pathname === route.path.slice(0, -1));

  return async function dispatch(request: Request, ctx: AppContext): Promise<Response | undefined> {
    const url = new URL(request.url);
    const route = find(url.pathname);
    if (!route) return new FastResponse(`No route for ${url.pathname}\n`, { status: 404 });
    try {
      const { methods, header } = allowed.get(route)!;
      if (!methods.has(request.method)) throw new HttpError(405, `${route.path} takes ${header}, not ${request.method}`, { allow: header });
      const response = await route.handle(request, ctx, url);
      return request.method === 'HEAD' && response ? await headOnly(response) : response;
    } catch (error) {
      if (error instanceof HttpError) {
        return new FastResponse(`${error.message}\n`, { status: error.status, headers: { 'content-type': 'text/plain; charset=utf-8', ...error.headers } });
      }
      throw error;
    }
  };
}
