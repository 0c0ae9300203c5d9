import { pageRoutes } from './page/index.js';
import type { Route } from './route.js';
import { workloadRoutes } from './routes/index.js';

/** Every route the app answers: the page's, then the workloads'. The README's route table lists the same, in this order. */
export const routeTable: readonly Route[] = [...pageRoutes, ...workloadRoutes];
