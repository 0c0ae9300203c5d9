import { defineConformanceSuite } from '@switchyard/core/conformance';
import { clusterConformance } from './conformance-options.js';

// The same suite with the platform's own Request and Response (fastGlobals: false).
defineConformanceSuite({ ...clusterConformance, fastGlobals: false });
