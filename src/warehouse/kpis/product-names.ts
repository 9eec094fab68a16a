/**
 * Display names of products. Order lines carry the name the shop used on each line; views and cart
 * adds carry none. A product's name is the one on its latest sale (a line with positive quantity),
 * else on its latest line of any kind: return lines in the real data often say "damaged" or "?".
 * Lines of the same instant are told apart by event id and line number, so the pick never depends on
 * the order in which the engine reads the rows.
 */

/** DuckDB: (product_id, product_name) for the product ids that `productIds` (a subquery) selects. */
export function duckdbProductNames(productIds: string): string {
  return `SELECT product_id, arg_max(product_name, (quantity > 0, ts, event_id, line_no)) AS product_name
    FROM order_lines
    WHERE product_name IS NOT NULL AND product_id IN (${productIds})
    GROUP BY product_id`;
}
