import { defineConformanceSuite } from '@switchyard/core/conformance';
import { clusterConformance } from './conformance-options.js';

// The same suite through an unchanged Hono app, with the fast globals on (the default).
defineConformanceSuite({ ...clusterConformance, app: 'hono' });
