import type { ConformanceOptions } from '@switchyard/core/conformance';
import { serve } from '@switchyard/pool';

/** The pool's conformance settings, shared by the suite's variants. */
// Three contexts for two workers: the serving threads and the express lane, each with its own setup.
export const poolConformance: ConformanceOptions = {
  backend: 'pool',
  serve,
  workers: 2,
  capabilities: { interruptsSyncLoop: true, contexts: 3, spreadsPipelined: true },
};
