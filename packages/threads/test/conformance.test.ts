import { defineConformanceSuite, defineWebSocketSuite } from '@switchyard/core/conformance';
import { describe, expect, it } from 'vitest';
import { missing, threadsConformance } from './conformance-options.js';

if (missing) {
  describe('threads conformance', () => {
    it('does not run where Node cannot share a port (start.test.ts proves the start error there)', () => {
      expect(missing).toMatch(/reusePort|share a port/);
    });
  });
} else {
  defineConformanceSuite(threadsConformance);
  defineConformanceSuite({ ...threadsConformance, app: 'hono' });
  defineConformanceSuite({ ...threadsConformance, fastGlobals: false });
  defineWebSocketSuite(threadsConformance);
}
