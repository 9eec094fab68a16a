import type { KpiDefinition } from './definition.js';
import { duckdbProductNames } from './product-names.js';

export const mostOrders: KpiDefinition = {
  name: 'most-orders',
  title: 'Most popular products',
  description: 'Products by the number of distinct orders holding them; cancellations are not counted. Product lines only.',
  columns: [
    { name: 'product_id', type: 'text', label: 'Product' },
    { name: 'product_name', type: 'text', label: 'Name' },
    { name: 'orders', type: 'integer', label: 'Orders' },
  ],
  sql: {
    duckdb: (context) => `
      WITH ranked AS (
        SELECT product_id, COUNT(DISTINCT order_id) AS orders
        FROM order_lines
        WHERE kind = 'product' AND NOT cancellation AND ${context.where('order_lines')}
        GROUP BY product_id
        ORDER BY orders DESC, product_id
        LIMIT ${context.limit}
      )
      SELECT r.product_id, n.product_name, r.orders
      FROM ranked r LEFT JOIN (${duckdbProductNames('SELECT product_id FROM ranked')}) n USING (product_id)
      ORDER BY r.orders DESC, r.product_id`,
  },
};
