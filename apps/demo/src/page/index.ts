import type { Route } from '../route.js';

/** The web page, its assets and its live stats stream. */
export const pageRoutes: readonly Route[] = [];
