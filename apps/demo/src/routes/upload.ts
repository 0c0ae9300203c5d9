import { createHash } from 'node:crypto';
import { FastResponse } from '@switchyard/core';
import type { Route } from '../route.js';

export const upload: Route = {
  path: '/upload',
  methods: ['POST'],
  example: '/upload',
  summary: "POST any body: it is hashed as it streams in, never held whole. Past the server's maxBodySize: 413.",
  async handle(request, ctx) {
    const hash = createHash('sha256');
    let bytes = 0;
    // A body over the server's limit errors this stream; the server answers 413 itself.
    const reader = request.body?.getReader();
    while (reader) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      hash.update(value);
    }
    return FastResponse.json({ bytes, sha256: hash.digest('hex'), workerId: ctx.workerId });
  },
};
