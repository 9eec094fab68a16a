/**
 * DDL of the embedded OLTP store (DESIGN §4), as numbered migrations. `PRAGMA user_version` holds
 * the last migration applied; opening a store applies the missing ones in one transaction each.
 * Money columns are INTEGER units of 10^-4 (src/events/money.ts).
 */
import type Database from 'better-sqlite3';
import type { LineKind } from '../events/schemas.js';

/** An order line as `orders.lines` holds it (migration 3): its line number is its position, from 1. */
export type StoredLine = [productId: string, description: string | null, quantity: number, unitPriceUnits: number, kind: LineKind, amountUnits: number];

export const STORE_MIGRATIONS: readonly string[] = [
  // 1: the tables of DESIGN §4.
  `
  CREATE TABLE products (
    product_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    category TEXT,
    brand TEXT,
    seller_id TEXT,
    price_units INTEGER,
    currency TEXT,
    -- 1 while the row was only inferred from an order line or a restock; a product event replaces it.
    inferred INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  ) WITHOUT ROWID;
  -- The subset pattern: free attributes live apart, so reports read products only.
  CREATE TABLE product_details (
    product_id TEXT PRIMARY KEY,
    details TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE inventory (
    product_id TEXT PRIMARY KEY,
    in_stock INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE customers (
    customer_id TEXT PRIMARY KEY,
    country TEXT,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    order_count INTEGER NOT NULL
  ) WITHOUT ROWID;
  -- Keyed by row, not order_id: order numbers repeat across sources (Diskovery reuses O000–O999 every day).
  CREATE TABLE orders (
    row_id INTEGER PRIMARY KEY,
    order_id TEXT NOT NULL,
    event_id TEXT NOT NULL,
    ts TEXT NOT NULL,
    customer_id TEXT,
    country TEXT,
    seller_id TEXT,
    currency TEXT NOT NULL,
    cancellation INTEGER NOT NULL,
    line_count INTEGER NOT NULL,
    total_money_units INTEGER NOT NULL
  );
  CREATE INDEX orders_by_order_id ON orders (order_id, ts);
  CREATE INDEX orders_by_customer ON orders (customer_id, ts) WHERE customer_id IS NOT NULL;
  CREATE INDEX orders_by_ts ON orders (ts);
  CREATE TABLE order_lines (
    order_row INTEGER NOT NULL,
    line_no INTEGER NOT NULL,
    product_id TEXT NOT NULL,
    description TEXT,
    quantity INTEGER NOT NULL,
    unit_price_units INTEGER NOT NULL,
    kind TEXT NOT NULL,
    amount_units INTEGER NOT NULL,
    PRIMARY KEY (order_row, line_no)
  ) WITHOUT ROWID;
  CREATE TABLE applied_events (id TEXT PRIMARY KEY) WITHOUT ROWID;
  CREATE TABLE dead_letters (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    payload TEXT NOT NULL,
    reason TEXT NOT NULL,
    origin TEXT NOT NULL,
    event_id TEXT,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    attempts INTEGER NOT NULL
  );
  CREATE UNIQUE INDEX dead_letters_by_event ON dead_letters (event_id) WHERE event_id IS NOT NULL;
  CREATE TABLE job_runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    job TEXT NOT NULL,
    scheduled_for TEXT,
    started_at TEXT NOT NULL,
    ended_at TEXT,
    status TEXT NOT NULL,
    attempt INTEGER NOT NULL,
    error TEXT,
    outputs TEXT NOT NULL
  );
  CREATE INDEX job_runs_by_job ON job_runs (job, id);
  CREATE TABLE notifications (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    job TEXT,
    level TEXT NOT NULL,
    message TEXT NOT NULL,
    link TEXT,
    deliveries TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE TABLE ingested_files (
    sha256 TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    format TEXT NOT NULL,
    rows INTEGER NOT NULL,
    events INTEGER NOT NULL,
    failed_rows INTEGER NOT NULL,
    status TEXT NOT NULL,
    loaded_at TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE attention_windows (
    window_start TEXT NOT NULL,
    window_end TEXT NOT NULL,
    saved_at TEXT NOT NULL,
    PRIMARY KEY (window_start, window_end)
  ) WITHOUT ROWID;
  CREATE TABLE attention_counters (
    window_start TEXT NOT NULL,
    window_end TEXT NOT NULL,
    product_id TEXT NOT NULL,
    views INTEGER NOT NULL,
    purchases INTEGER NOT NULL,
    PRIMARY KEY (window_start, window_end, product_id)
  ) WITHOUT ROWID;
  CREATE TABLE high_attention (
    window_start TEXT NOT NULL,
    window_end TEXT NOT NULL,
    rank INTEGER NOT NULL,
    product_id TEXT NOT NULL,
    views INTEGER NOT NULL,
    purchases INTEGER NOT NULL,
    PRIMARY KEY (window_start, window_end, rank)
  ) WITHOUT ROWID;
  `,
  // 2: user queries (DESIGN §6 "query"). `from` and `to` are SQL keywords, hence range_from/range_to.
  `
  CREATE TABLE queries (
    id TEXT PRIMARY KEY,
    range_from TEXT NOT NULL,
    range_to TEXT NOT NULL,
    country TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    finished_at TEXT,
    rows INTEGER,
    object_key TEXT,
    error TEXT
  ) WITHOUT ROWID;
  CREATE INDEX queries_by_created ON queries (created_at, id);
  CREATE INDEX queries_by_status ON queries (status, created_at, id);
  `,
  // 3: an order's lines move into the order row, as one JSON array of
  // [product_id, description, quantity, unit_price_units, kind, amount_units] (line_no is the
  // position): the store only ever reads an invoice whole, line-level questions go to the warehouse,
  // and a row per line cost most of the store's write time (measured on the online-retail file:
  // 1.04 s of CPU in rows, 0.58 s as documents).
  `
  ALTER TABLE orders ADD COLUMN lines TEXT NOT NULL DEFAULT '[]';
  UPDATE orders SET lines = coalesce((
    SELECT json_group_array(json_array(product_id, description, quantity, unit_price_units, kind, amount_units) ORDER BY line_no)
    FROM order_lines WHERE order_row = orders.row_id), '[]');
  DROP TABLE order_lines;
  `,
];

export const STORE_SCHEMA_VERSION = STORE_MIGRATIONS.length;

/** Applies the migrations this file has and the database lacks; refuses a newer database. */
export function migrateStore(db: Database.Database, file: string): void {
  const currentVersion = () => db.pragma('user_version', { simple: true }) as number;
  const version = currentVersion();
  if (version > STORE_SCHEMA_VERSION) {
    throw new Error(`store ${file} has schema version ${version}, newer than this program's ${STORE_SCHEMA_VERSION}: upgrade storepulse`);
  }
  for (let next = version; next < STORE_SCHEMA_VERSION; next += 1) {
    db.transaction(() => {
      // Another process may have migrated while this one waited for the write lock.
      if (currentVersion() > next) return;
      db.exec(STORE_MIGRATIONS[next]);
      db.pragma(`user_version = ${next + 1}`);
    }).immediate();
  }
}
