import type { KpiDefinition } from './definition.js';
import { duckdbProductNames } from './product-names.js';

export const mostRevenue: KpiDefinition = {
  name: 'most-revenue',
  title: 'Products with the most revenue',
  description: 'Products by net revenue (quantity × unit price, cancellations and returns subtract). Product lines only.',
  columns: [
    { name: 'product_id', type: 'text', label: 'Product' },
    { name: 'product_name', type: 'text', label: 'Name' },
    { name: 'revenue', type: 'money', label: 'Revenue' },
    { name: 'units', type: 'integer', label: 'Units' },
  ],
  sql: {
    duckdb: (context) => `
      WITH ranked AS (
        SELECT product_id, SUM(amount) AS exact_revenue, SUM(quantity) AS units
        FROM order_lines
        WHERE kind = 'product' AND ${context.where('order_lines')}
        GROUP BY product_id
        ORDER BY exact_revenue DESC, product_id
        LIMIT ${context.limit}
      )
      SELECT r.product_id, n.product_name, ROUND(r.exact_revenue, 2)::DOUBLE AS revenue, r.units
      FROM ranked r LEFT JOIN (${duckdbProductNames('SELECT product_id FROM ranked')}) n USING (product_id)
      ORDER BY r.exact_revenue DESC, r.product_id`,
  },
};
