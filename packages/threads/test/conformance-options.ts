import type { ServeOptions } from '@switchyard/core';
import type { ConformanceOptions } from '@switchyard/core/conformance';
import { reusePortMissing, serve } from '@switchyard/threads';

// A short watchdog, so the stuck-handler test does not wait the default 10 s.
const serveFast = (options: ServeOptions) => serve({ ...options, threads: { heartbeatIntervalMs: 200, heartbeatTimeoutMs: 1_500 } });

/** The threads backend's conformance settings, shared by the suite's variants. */
export const threadsConformance: ConformanceOptions = {
  backend: 'threads',
  serve: serveFast,
  workers: 2,
  // The watchdog terminates a stuck thread, and its connections with it, as the cluster's kills a process.
  capabilities: { interruptsSyncLoop: true, syncLoopCutsConnection: true, sharedPort: true, contexts: 2 },
};

/** Why this Node cannot run the backend (older than 22.12, or no reusePort on the platform); undefined where it can. */
export const missing = reusePortMissing();
