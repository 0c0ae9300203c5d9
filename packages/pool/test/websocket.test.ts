import { defineWebSocketSuite } from '@switchyard/core/conformance';
import { poolConformance } from './conformance-options.js';

defineWebSocketSuite(poolConformance);
