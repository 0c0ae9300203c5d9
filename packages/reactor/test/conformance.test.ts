import { defineConformanceSuite } from '@switchyard/core/conformance';
import { reactorConformance } from './conformance-options.js';

defineConformanceSuite(reactorConformance);
