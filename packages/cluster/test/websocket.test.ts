import { defineWebSocketSuite } from '@switchyard/core/conformance';
import { clusterConformance } from './conformance-options.js';

defineWebSocketSuite(clusterConformance);
