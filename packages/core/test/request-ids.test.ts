import { describe, expect, it } from 'vitest';
import { newRequestId } from '../src/ops/request-ids.js';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('request ids', () => {
  it('are version 4 UUIDs, all different, across many batches', () => {
    const ids = Array.from({ length: 5_000 }, () => newRequestId());
    for (const id of ids) expect(id).toMatch(UUID_V4);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('are random in every position the version and variant leave free', () => {
    const ids = Array.from({ length: 2_000 }, () => newRequestId());
    for (let position = 0; position < 36; position++) {
      if ([8, 13, 14, 18, 23].includes(position)) continue;
      const seen = new Set(ids.map((id) => id[position]));
      // 2,000 draws of 16 (or, at the variant, 4) equally likely digits show every one.
      expect(seen.size, `position ${position}`).toBe(position === 19 ? 4 : 16);
    }
  });
});
