import type { Route } from '../route.js';
import { echo } from './echo.js';
import { health } from './health.js';
import { hello } from './hello.js';

/** The workload routes, in the order the page's catalogue lists them. */
export const workloadRoutes: readonly Route[] = [hello, echo, health];
