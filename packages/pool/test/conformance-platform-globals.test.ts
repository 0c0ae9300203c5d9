import { defineConformanceSuite } from '@switchyard/core/conformance';
import { poolConformance } from './conformance-options.js';

// The same suite with the platform's own Request and Response (fastGlobals: false).
defineConformanceSuite({ ...poolConformance, fastGlobals: false });
