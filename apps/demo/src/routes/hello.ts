import { FastResponse } from '@switchyard/core';
import type { Route } from '../route.js';

export const hello: Route = {
  path: '/hello',
  methods: ['GET'],
  example: '/hello',
  summary: 'A few bytes of text: the cost of the server itself, with no work behind it.',
  handle: (_request, ctx) => new FastResponse(`Hello from Switchyard (${ctx.backend}, worker ${ctx.workerId})\n`),
};
