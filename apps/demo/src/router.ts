import { FastResponse, type AppContext } from '@switchyard/core';
import { HttpError } from './http-error.js';
import type { Route } from './route.js';

/** Finds the route for a pathname: an exact path first, then the longest matching prefix. */
export function createRouter(routes: readonly Route[]) {
  const exact = new Map<string, Route>();
  const prefixes: Route[] = [];
  for (const route of routes) {
    if (route.path.endsWith('/') && route.path !== '/') prefixes.push(route);
    else exact.set(route.path, route);
  }
  prefixes.sort((a, b) => b.path.length - a.path.length);

  const find = (pathname: string): Route | undefined =>
    exact.get(pathname) ?? prefixes.find((route) => pathname.startsWith(route.path) || pathname === route.path.slice(0, -1));

  return async function dispatch(request: Request, ctx: AppContext): Promise<Response> {
    const url = new URL(request.url);
    const route = find(url.pathname);
    if (!route) return new FastResponse(`No route for ${url.pathname}\n`, { status: 404 });
    try {
      return await route.handle(request, ctx, url);
    } catch (error) {
      if (error instanceof HttpError) {
        return new FastResponse(`${error.message}\n`, { status: error.status, headers: { 'content-type': 'text/plain; charset=utf-8', ...error.headers } });
      }
      throw error;
    }
  };
}
