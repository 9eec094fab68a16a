/**
 * Warehouse files written before order_lines became a view (duckdb-schema.ts) hold it as a wide
 * table: on open, its rows move into the star once, in one transaction, and the view takes its
 * name. Keys are numbered in no particular order; nothing reads them but the view's joins.
 */
import type { DuckDBConnection } from './duckdb-api.js';
import { sameLineProduct } from './duckdb-schema.js';

const MOVE_WIDE_ORDER_LINES = `
CREATE TEMP TABLE migrate_order_keys AS
  SELECT event_id, row_number() OVER () AS order_key FROM (SELECT DISTINCT event_id FROM order_lines);
INSERT INTO order_heads
  SELECT k.order_key, w.event_id, any_value(w.order_id), any_value(w.ts), any_value(w.day), any_value(w.customer_id),
    any_value(w.country), any_value(w.cancellation), any_value(w.currency)
  FROM order_lines w JOIN migrate_order_keys k USING (event_id)
  GROUP BY k.order_key, w.event_id;
INSERT INTO line_products
  SELECT row_number() OVER (), product_id, product_name, category, kind, seller_id
  FROM (SELECT DISTINCT product_id, product_name, category, kind, seller_id FROM order_lines);
INSERT INTO order_line_rows
  SELECT k.order_key, w.line_no, p.product_key, w.quantity, w.unit_price, w.amount
  FROM order_lines w
    JOIN migrate_order_keys k USING (event_id)
    JOIN line_products p ON ${sameLineProduct('p', 'w')};
DROP TABLE order_lines;
DROP TABLE migrate_order_keys;
`;

/** Moves a wide order_lines table into the star; does nothing for a file already in the star. Run before the view is created. */
export async function migrateWideOrderLines(connection: DuckDBConnection): Promise<boolean> {
  const reader = await connection.runAndReadAll(
    "SELECT table_type FROM information_schema.tables WHERE table_schema = 'main' AND table_name = 'order_lines'",
  );
  if (reader.getRows()[0]?.[0] !== 'BASE TABLE') return false;
  await connection.run('BEGIN TRANSACTION');
  try {
    await connection.run(`${MOVE_WIDE_ORDER_LINES} COMMIT`);
  } catch (error) {
    await connection.run('ROLLBACK');
    throw new Error(`warehouse: moving the order_lines table of an older storepulse into the current layout failed, nothing changed: ${(error as Error).message}`);
  }
  return true;
}
