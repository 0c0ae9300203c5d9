import { defineConformanceSuite } from '@switchyard/core/conformance';
import { serve } from '@switchyard/reactor';

defineConformanceSuite({ backend: 'reactor', serve, capabilities: { interruptsSyncLoop: false, contexts: 1 } });
