import { defineConformanceSuite } from '@switchyard/core/conformance';
import { serve } from '@switchyard/pool';

// Three contexts for two workers: the serving threads and the express lane, each with its own setup.
defineConformanceSuite({ backend: 'pool', serve, workers: 2, capabilities: { interruptsSyncLoop: true, contexts: 3 } });
