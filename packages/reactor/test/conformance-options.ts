import type { ConformanceOptions } from '@switchyard/core/conformance';
import { serve } from '@switchyard/reactor';

/** The reactor's conformance settings, shared by the suite's variants. */
export const reactorConformance: ConformanceOptions = { backend: 'reactor', serve, capabilities: { interruptsSyncLoop: false, contexts: 1 } };
