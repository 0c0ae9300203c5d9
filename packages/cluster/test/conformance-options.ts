import type { ServeOptions } from '@switchyard/core';
import type { ConformanceOptions } from '@switchyard/core/conformance';
import { serve } from '@switchyard/cluster';

// A short watchdog, so the stuck-handler test does not wait the default 10 s.
const serveFast = (options: ServeOptions) => serve({ ...options, cluster: { heartbeatIntervalMs: 200, heartbeatTimeoutMs: 1_500 } });

/** The cluster's conformance settings, shared by the suite's variants. */
export const clusterConformance: ConformanceOptions = {
  backend: 'cluster',
  serve: serveFast,
  workers: 2,
  capabilities: { interruptsSyncLoop: true, syncLoopCutsConnection: true, contexts: 2 },
};
