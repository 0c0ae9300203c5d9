import { FastResponse } from '@switchyard/core';
import type { Database } from 'sql.js';
import { openDatabase, SEEDED_ROWS, summarise } from '../db/database.js';
import { HttpError } from '../http-error.js';
import { numberParam } from '../query.js';
import type { Route } from '../route.js';

const ROWS = { min: 1, max: SEEDED_ROWS, default: 1000 };

/** This context's database, opened in setup: each process or thread has its own. */
let db: Database | undefined;

export const database: Route = {
  path: '/db',
  methods: ['GET'],
  example: '/db?rows=5000',
  summary: 'A query over ?rows= rows of an embedded SQLite (sql.js). The driver is synchronous: it blocks the loop under reactor, not under pool.',
  async setup() {
    db = await openDatabase();
  },
  teardown() {
    db?.close();
    db = undefined;
  },
  handle(_request, ctx, url) {
    const rows = numberParam(url, 'rows', ROWS);
    if (!db) throw new HttpError(503, 'The database is not open (setup has not run)');
    const started = performance.now();
    const categories = summarise(db, rows);
    const queryMs = Math.round((performance.now() - started) * 100) / 100;
    return FastResponse.json({ rows, categories, queryMs, driver: 'sql.js (synchronous)', workerId: ctx.workerId });
  },
};
