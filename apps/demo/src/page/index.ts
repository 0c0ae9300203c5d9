import type { Route } from '../route.js';
import { assetRoute, home } from './site.js';
import { statsStream } from './stats-stream.js';

/** The web page, its assets and its live stats stream. */
export const pageRoutes: readonly Route[] = [home, assetRoute, statsStream];
