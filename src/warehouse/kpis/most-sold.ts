import type { KpiDefinition } from './definition.js';
import { duckdbProductNames } from './product-names.js';

export const mostSold: KpiDefinition = {
  name: 'most-sold',
  title: 'Most sold products',
  description: 'Products by net units sold (cancellations and returns subtract). Product lines only: fees and adjustments never rank.',
  columns: [
    { name: 'product_id', type: 'text', label: 'Product' },
    { name: 'product_name', type: 'text', label: 'Name' },
    { name: 'units', type: 'integer', label: 'Units' },
    { name: 'revenue', type: 'money', label: 'Revenue' },
  ],
  sql: {
    duckdb: (context) => `
      WITH ranked AS (
        SELECT product_id, SUM(quantity) AS units, ROUND(SUM(amount), 2)::DOUBLE AS revenue
        FROM order_lines
        WHERE kind = 'product' AND ${context.where('order_lines')}
        GROUP BY product_id
        ORDER BY units DESC, product_id
        LIMIT ${context.limit}
      )
      SELECT r.product_id, n.product_name, r.units, r.revenue
      FROM ranked r LEFT JOIN (${duckdbProductNames('SELECT product_id FROM ranked')}) n USING (product_id)
      ORDER BY r.units DESC, r.product_id`,
  },
};
