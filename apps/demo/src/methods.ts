import { FastResponse } from '@switchyard/core';
import { fastResponseState } from '@switchyard/core/response';
import type { Route } from './route.js';

/**
 * The methods a route answers, as its `Allow` header lists them: its own,
 * with HEAD beside GET. A HEAD is a GET without the body (RFC 9110, 9.3.2),
 * and Node's own servers answer it wherever GET works.
 */
export function allowedMethods(route: Pick<Route, 'methods'>): string[] {
  return route.methods.flatMap((method) => (method === 'GET' ? ['GET', 'HEAD'] : [method]));
}

/** The `Allow` header of a route (RFC 9110, 10.2.1): `GET, HEAD, POST`. */
export function allowHeader(route: Pick<Route, 'methods'>): string {
  return allowedMethods(route).join(', ');
}

/**
 * The answer to a HEAD: the GET response's head. A whole body (string or
 * bytes) goes to the backend as it is, which writes its exact Content-Length
 * and, for a HEAD, no body. A stream (an event stream, `/idle`'s hold) would
 * run on with nobody to read it and hold the connection, so it is cancelled
 * and only the head goes out.
 */
export async function headOnly(response: Response): Promise<Response> {
  if (fastResponseState(response) || response.body === null) return response;
  await response.body.cancel();
  return new FastResponse(null, { status: response.status, statusText: response.statusText, headers: response.headers });
}
