import { defineConformanceSuite } from '@switchyard/core/conformance';
import { poolConformance } from './conformance-options.js';

// The same suite through an unchanged Hono app, with the fast globals on (the default).
defineConformanceSuite({ ...poolConformance, app: 'hono' });
