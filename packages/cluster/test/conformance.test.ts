import { defineConformanceSuite } from '@switchyard/core/conformance';
import { serve } from '@switchyard/cluster';
import type { ServeOptions } from '@switchyard/core';

// A short watchdog, so the stuck-handler test does not wait the default 10 s.
const serveFast = (options: ServeOptions) => serve({ ...options, cluster: { heartbeatIntervalMs: 200, heartbeatTimeoutMs: 1_500 } });

defineConformanceSuite({
  backend: 'cluster',
  serve: serveFast,
  workers: 2,
  capabilities: { interruptsSyncLoop: true, syncLoopCutsConnection: true, contexts: 2 },
});
