import { defineConformanceSuite } from '@switchyard/core/conformance';
import { poolConformance } from './conformance-options.js';

defineConformanceSuite(poolConformance);
