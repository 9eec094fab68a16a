import type { KpiDefinition } from './definition.js';
import { duckdbProductNames } from './product-names.js';

export const viewsLast4h: KpiDefinition = {
  name: 'views-last-4h',
  title: 'Views in the last 4 hours',
  description: 'Product views with a time in [to − 4 hours, to), per product, most viewed first; `from` is not used. Names come from the latest order line of the product (empty when it never sold).',
  columns: [
    { name: 'product_id', type: 'text', label: 'Product' },
    { name: 'product_name', type: 'text', label: 'Name' },
    { name: 'views', type: 'integer', label: 'Views' },
  ],
  sql: {
    duckdb: (context) => `
      WITH ranked AS (
        SELECT product_id, COUNT(*) AS views
        FROM views
        WHERE ${context.where('views', { lastHours: 4 })}
        GROUP BY product_id
        ORDER BY views DESC, product_id
        LIMIT ${context.limit}
      )
      SELECT r.product_id, n.product_name, r.views
      FROM ranked r LEFT JOIN (${duckdbProductNames('SELECT product_id FROM ranked')}) n USING (product_id)
      ORDER BY r.views DESC, r.product_id`,
  },
};
