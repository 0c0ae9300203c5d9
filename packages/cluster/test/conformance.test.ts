import { defineConformanceSuite } from '@switchyard/core/conformance';
import { clusterConformance } from './conformance-options.js';

defineConformanceSuite(clusterConformance);
