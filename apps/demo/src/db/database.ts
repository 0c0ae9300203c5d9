/**
 * An embedded SQLite database: sql.js, SQLite compiled to WebAssembly. It
 * installs with npm alone (no native build, no binary download), and every
 * call is synchronous: a query holds the event loop it runs on.
 */
import { createRequire } from 'node:module';
import initSqlJs, { type Database } from 'sql.js';

const require = createRequire(import.meta.url);

/** Rows seeded into `items`: enough that a query over all of them takes a few milliseconds. */
export const SEEDED_ROWS = 20_000;

const CATEGORIES = ['books', 'games', 'garden', 'kitchen', 'music', 'tools', 'toys', 'travel'];

/** Opens a fresh in-memory database and seeds `items` with the same rows every time. */
export async function openDatabase(): Promise<Database> {
  const wasm = require.resolve('sql.js/dist/sql-wasm.wasm');
  const SQL = await initSqlJs({ locateFile: () => wasm });
  const db = new SQL.Database();
  db.run('CREATE TABLE items (id INTEGER PRIMARY KEY, category TEXT NOT NULL, price REAL NOT NULL, name TEXT NOT NULL)');
  const insert = db.prepare('INSERT INTO items (id, category, price, name) VALUES (?, ?, ?, ?)');
  // A fixed pseudo-random sequence, so every process and thread holds identical data.
  let seed = 42;
  const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
  db.run('BEGIN');
  for (let id = 1; id <= SEEDED_ROWS; id++) {
    const category = CATEGORIES[Math.floor(next() * CATEGORIES.length)]!;
    insert.run([id, category, Math.round(next() * 100_000) / 100, `${category}-item-${id}`]);
  }
  db.run('COMMIT');
  insert.free();
  return db;
}

export interface CategorySummary {
  category: string;
  items: number;
  avgPrice: number;
  maxPrice: number;
}

/** Groups the first `rows` items by category: a scan and a sort (GROUP BY) whose cost grows with `rows`. */
export function summarise(db: Database, rows: number): CategorySummary[] {
  const statement = db.prepare(
    `SELECT category, count(*) AS items, round(avg(price), 2) AS avgPrice, max(price) AS maxPrice
       FROM items WHERE id <= ? GROUP BY category ORDER BY items DESC, category`,
  );
  try {
    statement.bind([rows]);
    const result: CategorySummary[] = [];
    while (statement.step()) result.push(statement.getAsObject() as unknown as CategorySummary);
    return result;
  } finally {
    statement.free();
  }
}
