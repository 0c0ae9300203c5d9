import { defineWebSocketSuite } from '@switchyard/core/conformance';
import { reactorConformance } from './conformance-options.js';

defineWebSocketSuite(reactorConformance);
