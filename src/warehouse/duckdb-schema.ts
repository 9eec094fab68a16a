/**
 * DuckDB tables of the warehouse: the four fact tables of port.ts, the ids of applied events
 * (idempotency), and temporary staging tables the Appender fills before one transactional insert.
 * Money is DECIMAL(18,4) (exact, scale of src/events/money.ts); ts is TIMESTAMP in UTC; day is the
 * calendar date in the shop's time zone, computed by the producer of the fact.
 */
export const DUCKDB_FACT_TABLES = `
CREATE TABLE IF NOT EXISTS applied_events (event_id VARCHAR NOT NULL);
CREATE TABLE IF NOT EXISTS order_lines (
  event_id VARCHAR NOT NULL, order_id VARCHAR NOT NULL, line_no INTEGER NOT NULL,
  ts TIMESTAMP NOT NULL, day DATE NOT NULL,
  customer_id VARCHAR, country VARCHAR, seller_id VARCHAR,
  product_id VARCHAR NOT NULL, product_name VARCHAR, category VARCHAR, kind VARCHAR NOT NULL,
  cancellation BOOLEAN NOT NULL, quantity INTEGER NOT NULL,
  unit_price DECIMAL(18,4) NOT NULL, amount DECIMAL(18,4) NOT NULL, currency VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS views (
  event_id VARCHAR NOT NULL, ts TIMESTAMP NOT NULL, day DATE NOT NULL, product_id VARCHAR NOT NULL,
  category VARCHAR, seller_id VARCHAR, session_id VARCHAR, customer_id VARCHAR, country VARCHAR, location VARCHAR
);
CREATE TABLE IF NOT EXISTS cart_adds (
  event_id VARCHAR NOT NULL, ts TIMESTAMP NOT NULL, day DATE NOT NULL, product_id VARCHAR NOT NULL,
  category VARCHAR, seller_id VARCHAR, session_id VARCHAR, quantity INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS probes (
  event_id VARCHAR NOT NULL, ts TIMESTAMP NOT NULL, day DATE NOT NULL, location VARCHAR NOT NULL,
  target VARCHAR NOT NULL, ok BOOLEAN NOT NULL, status INTEGER, latency_ms DOUBLE NOT NULL
);
`;

/**
 * Order lines are staged normalized: one row per order, per distinct product (with its seller), per distinct amount,
 * and per line, where a line is integers only. The Appender costs one native call per value; a
 * line of integers goes in whole data chunks instead, so a 500k-line batch stages in a fraction
 * of a second.
 */
export const DUCKDB_STAGING_TABLES = `
CREATE TEMP TABLE IF NOT EXISTS stage_event_ids (event_id VARCHAR);
CREATE TEMP TABLE IF NOT EXISTS stage_check_ids (event_id VARCHAR);
CREATE TEMP TABLE IF NOT EXISTS stage_orders (
  order_no INTEGER, event_id VARCHAR, order_id VARCHAR, ts TIMESTAMP, day DATE,
  customer_id VARCHAR, country VARCHAR, cancellation BOOLEAN, currency VARCHAR
);
CREATE TEMP TABLE IF NOT EXISTS stage_products (
  product_no INTEGER, product_id VARCHAR, product_name VARCHAR, category VARCHAR, kind VARCHAR, seller_id VARCHAR
);
CREATE TEMP TABLE IF NOT EXISTS stage_money (money_no INTEGER, amount DECIMAL(18,4));
CREATE TEMP TABLE IF NOT EXISTS stage_lines (
  order_no INTEGER, line_no INTEGER, product_no INTEGER, quantity INTEGER, unit_price_no INTEGER, amount_no INTEGER
);
CREATE TEMP TABLE IF NOT EXISTS stage_views AS SELECT * FROM views LIMIT 0;
CREATE TEMP TABLE IF NOT EXISTS stage_cart_adds AS SELECT * FROM cart_adds LIMIT 0;
CREATE TEMP TABLE IF NOT EXISTS stage_probes AS SELECT * FROM probes LIMIT 0;
`;

export const DUCKDB_CLEAR_STAGING = `
DELETE FROM stage_event_ids; DELETE FROM stage_check_ids; DELETE FROM stage_orders; DELETE FROM stage_products; DELETE FROM stage_money; DELETE FROM stage_lines;
DELETE FROM stage_views; DELETE FROM stage_cart_adds; DELETE FROM stage_probes;
`;

/** The staged order lines joined back into order_lines rows (column order of the table). */
export const STAGED_ORDER_LINE_ROWS = `
  SELECT o.event_id, o.order_id, l.line_no, o.ts, o.day, o.customer_id, o.country, p.seller_id,
    p.product_id, p.product_name, p.category, p.kind, o.cancellation, l.quantity, price.amount, amount.amount, o.currency
  FROM stage_lines l
    JOIN stage_orders o USING (order_no)
    JOIN stage_products p USING (product_no)
    JOIN stage_money price ON price.money_no = l.unit_price_no
    JOIN stage_money amount ON amount.money_no = l.amount_no`;
