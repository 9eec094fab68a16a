import type { KpiDefinition } from './definition.js';
import { duckdbProductNames } from './product-names.js';

export const conversionFunnel: KpiDefinition = {
  name: 'conversion-funnel',
  title: 'Conversion funnel per product',
  description: 'Per product: views, cart adds (events), purchases (distinct orders that are not cancellations), and the ratios view → cart and cart → purchase (empty when there is nothing to divide by). Most viewed first. Cart adds carry no country, so a country filter does not narrow them.',
  columns: [
    { name: 'product_id', type: 'text', label: 'Product' },
    { name: 'product_name', type: 'text', label: 'Name' },
    { name: 'category', type: 'text', label: 'Category' },
    { name: 'views', type: 'integer', label: 'Views' },
    { name: 'cart_adds', type: 'integer', label: 'Cart adds' },
    { name: 'purchases', type: 'integer', label: 'Purchases' },
    { name: 'view_to_cart', type: 'ratio', label: 'View → cart' },
    { name: 'cart_to_purchase', type: 'ratio', label: 'Cart → purchase' },
  ],
  sql: {
    duckdb: (context) => `
      WITH viewed AS (
        SELECT product_id, COUNT(*) AS views, MAX(category) AS category
        FROM views WHERE ${context.where('views')} GROUP BY product_id
      ),
      carted AS (
        SELECT product_id, COUNT(*) AS cart_adds, MAX(category) AS category
        FROM cart_adds WHERE ${context.where('cart_adds')} GROUP BY product_id
      ),
      purchased AS (
        SELECT product_id, COUNT(DISTINCT order_id) AS purchases, MAX(category) AS category
        FROM order_lines WHERE kind = 'product' AND NOT cancellation AND ${context.where('order_lines')} GROUP BY product_id
      ),
      funnel AS (
        SELECT k.product_id,
          COALESCE(p.category, v.category, c.category) AS category,
          COALESCE(v.views, 0) AS views, COALESCE(c.cart_adds, 0) AS cart_adds, COALESCE(p.purchases, 0) AS purchases
        FROM (SELECT product_id FROM viewed UNION SELECT product_id FROM carted UNION SELECT product_id FROM purchased) k
          LEFT JOIN viewed v USING (product_id) LEFT JOIN carted c USING (product_id) LEFT JOIN purchased p USING (product_id)
        ORDER BY views DESC, cart_adds DESC, purchases DESC, product_id
        LIMIT ${context.limit}
      )
      SELECT f.product_id, n.product_name, f.category, f.views, f.cart_adds, f.purchases,
        f.cart_adds / NULLIF(f.views, 0) AS view_to_cart,
        f.purchases / NULLIF(f.cart_adds, 0) AS cart_to_purchase
      FROM funnel f LEFT JOIN (${duckdbProductNames('SELECT product_id FROM funnel')}) n USING (product_id)
      ORDER BY f.views DESC, f.cart_adds DESC, f.purchases DESC, f.product_id`,
  },
};
