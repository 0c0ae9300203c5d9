import { FastResponse } from '@switchyard/core';
import { HttpError } from '../http-error.js';
import type { Route } from '../route.js';

const MAX_ECHO_BYTES = 64 * 1024;

export const echo: Route = {
  path: '/echo',
  methods: ['POST'],
  example: '/echo',
  summary: 'POST a JSON body and get it back: a small upload, parsed.',
  async handle(request) {
    const text = await request.text();
    if (text.length > MAX_ECHO_BYTES) throw new HttpError(413, `/echo takes at most ${MAX_ECHO_BYTES} bytes`);
    try {
      return FastResponse.json({ echo: JSON.parse(text) as unknown });
    } catch {
      throw new HttpError(400, '/echo needs a JSON body');
    }
  },
};
