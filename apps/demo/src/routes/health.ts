import { FastResponse } from '@switchyard/core';
import type { Route } from '../route.js';

export const health: Route = {
  path: '/health',
  methods: ['GET'],
  example: '/health',
  summary: 'Which backend, worker and process answered.',
  handle: (_request, ctx) => FastResponse.json({ status: 'ok', backend: ctx.backend, workerId: ctx.workerId, pid: process.pid }),
};
