import { defineConformanceSuite } from '@switchyard/core/conformance';
import { serve } from '@switchyard/pool';

defineConformanceSuite({ backend: 'pool', serve, workers: 2, capabilities: { interruptsSyncLoop: true, contexts: 2 } });
