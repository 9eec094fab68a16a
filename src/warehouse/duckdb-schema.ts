/**
 * DuckDB tables of the warehouse: the four fact tables of port.ts, the ids of applied events
 * (idempotency), and temporary staging tables the Appender fills before one transactional insert.
 * The order_lines fact is a view (DUCKDB_ORDER_LINES_VIEW) over a star: a row per order, per
 * distinct line product, and per line, which holds numbers only. Written as one wide table, its
 * ten text columns were ~90% of an insert's cost: inserting the online-retail file's 541,909
 * lines took 315 ms (570 ms of CPU) wide and 50 ms (80 ms of CPU) as the star, in a file half the
 * size. Reads pay for the joins: every KPI over the whole file took 259 ms in all against 220 ms
 * wide (medians of 5; product-day-sales 76 against 56 ms, an invoice lookup 10 against 5 ms).
 * Money is DECIMAL(18,4) (exact, scale of src/events/money.ts); ts is TIMESTAMP in UTC; day is the
 * calendar date in the shop's time zone, computed by the producer of the fact.
 */
export const DUCKDB_FACT_TABLES = `
CREATE TABLE IF NOT EXISTS applied_events (event_id VARCHAR NOT NULL);
CREATE TABLE IF NOT EXISTS order_heads (
  order_key BIGINT NOT NULL, event_id VARCHAR NOT NULL, order_id VARCHAR NOT NULL, ts TIMESTAMP NOT NULL, day DATE NOT NULL,
  customer_id VARCHAR, country VARCHAR, cancellation BOOLEAN NOT NULL, currency VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS line_products (
  product_key BIGINT NOT NULL, product_id VARCHAR NOT NULL, product_name VARCHAR, category VARCHAR, kind VARCHAR NOT NULL, seller_id VARCHAR
);
CREATE TABLE IF NOT EXISTS order_line_rows (
  order_key BIGINT NOT NULL, line_no INTEGER NOT NULL, product_key BIGINT NOT NULL, quantity INTEGER NOT NULL,
  unit_price DECIMAL(18,4) NOT NULL, amount DECIMAL(18,4) NOT NULL
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
 * Order lines are staged normalized: one row per order, per distinct product (with its seller), and
 * per line, where a line is numbers only. The Appender costs one native call per value; a line of
 * numbers goes in whole data chunks instead, so a 500k-line batch stages in a fraction of a second.
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
CREATE TEMP TABLE IF NOT EXISTS stage_lines (
  order_no INTEGER, line_no INTEGER, product_no INTEGER, quantity INTEGER, unit_price DECIMAL(18,4), amount DECIMAL(18,4)
);
CREATE TEMP TABLE IF NOT EXISTS stage_views AS SELECT * FROM views LIMIT 0;
CREATE TEMP TABLE IF NOT EXISTS stage_cart_adds AS SELECT * FROM cart_adds LIMIT 0;
CREATE TEMP TABLE IF NOT EXISTS stage_probes AS SELECT * FROM probes LIMIT 0;
`;

export const DUCKDB_CLEAR_STAGING = `
DELETE FROM stage_event_ids; DELETE FROM stage_check_ids; DELETE FROM stage_orders; DELETE FROM stage_products; DELETE FROM stage_lines;
DELETE FROM stage_views; DELETE FROM stage_cart_adds; DELETE FROM stage_probes;
`;

/** order_lines as KPIs, invoices and exports read it: a row per line, the order's and the product's fields repeated. */
export const DUCKDB_ORDER_LINES_VIEW = `
CREATE OR REPLACE VIEW order_lines AS
  SELECT o.event_id, o.order_id, l.line_no, o.ts, o.day, o.customer_id, o.country, p.seller_id,
    p.product_id, p.product_name, p.category, p.kind, o.cancellation, l.quantity, l.unit_price, l.amount, o.currency
  FROM order_line_rows l JOIN order_heads o USING (order_key) JOIN line_products p USING (product_key);
`;

/** Rows `a` and `b` name the same line product: every field equal, NULLs included. */
export function sameLineProduct(a: string, b: string): string {
  return `${a}.product_id = ${b}.product_id AND ${a}.kind = ${b}.kind AND ${a}.product_name IS NOT DISTINCT FROM ${b}.product_name
    AND ${a}.category IS NOT DISTINCT FROM ${b}.category AND ${a}.seller_id IS NOT DISTINCT FROM ${b}.seller_id`;
}

/**
 * Inserts the staged orders that `orderFilter` (a condition on stage_orders o) keeps, with their
 * lines, into the star of order_lines. Keys are numbered past the largest in use; the warehouse's
 * writes are serialized (duckdb.ts), so no other insert takes the same ones.
 */
export function insertStagedOrders(orderFilter = 'true'): string {
  return `
CREATE OR REPLACE TEMP TABLE stage_order_keys AS
  SELECT o.order_no, (SELECT coalesce(max(order_key), 0) FROM order_heads) + row_number() OVER () AS order_key
  FROM stage_orders o WHERE ${orderFilter};
INSERT INTO order_heads
  SELECT k.order_key, o.event_id, o.order_id, o.ts, o.day, o.customer_id, o.country, o.cancellation, o.currency
  FROM stage_orders o JOIN stage_order_keys k USING (order_no);
-- The products the kept lines use: one already in line_products keeps its key, a new one gets the next.
CREATE OR REPLACE TEMP TABLE stage_product_keys AS
  WITH used AS (SELECT DISTINCT l.product_no FROM stage_lines l SEMI JOIN stage_order_keys k USING (order_no)),
    known AS (
      SELECT s.product_no, min(p.product_key) AS product_key
      FROM stage_products s JOIN line_products p ON ${sameLineProduct('p', 's')}
      GROUP BY s.product_no)
  SELECT u.product_no, k.product_key IS NULL AS is_new,
    coalesce(k.product_key, (SELECT coalesce(max(product_key), 0) FROM line_products) + row_number() OVER (PARTITION BY k.product_key IS NULL)) AS product_key
  FROM used u LEFT JOIN known k USING (product_no);
INSERT INTO line_products
  SELECT k.product_key, s.product_id, s.product_name, s.category, s.kind, s.seller_id
  FROM stage_products s JOIN stage_product_keys k USING (product_no) WHERE k.is_new;
INSERT INTO order_line_rows
  SELECT k.order_key, l.line_no, p.product_key, l.quantity, l.unit_price, l.amount
  FROM stage_lines l
    JOIN stage_order_keys k USING (order_no)
    JOIN stage_product_keys p USING (product_no);
`;
}
