import { UNCATEGORIZED, type KpiDefinition } from './definition.js';

export const conversionByCategory: KpiDefinition = {
  name: 'conversion-by-category',
  title: 'Conversion funnel per category',
  description: `Per product category ("${UNCATEGORIZED}" when none): views, cart adds (events), purchases (distinct orders, not cancellations, holding a product of the category), and the ratios view → cart and cart → purchase (empty when there is nothing to divide by). Most viewed first. Cart adds carry no country, so a country filter does not narrow them.`,
  columns: [
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
        SELECT COALESCE(category, '${UNCATEGORIZED}') AS category, COUNT(*) AS views
        FROM views WHERE ${context.where('views')} GROUP BY 1
      ),
      carted AS (
        SELECT COALESCE(category, '${UNCATEGORIZED}') AS category, COUNT(*) AS cart_adds
        FROM cart_adds WHERE ${context.where('cart_adds')} GROUP BY 1
      ),
      purchased AS (
        SELECT COALESCE(category, '${UNCATEGORIZED}') AS category, COUNT(DISTINCT order_id) AS purchases
        FROM order_lines WHERE kind = 'product' AND NOT cancellation AND ${context.where('order_lines')} GROUP BY 1
      ),
      funnel AS (
        SELECT k.category,
          COALESCE(v.views, 0) AS views, COALESCE(c.cart_adds, 0) AS cart_adds, COALESCE(p.purchases, 0) AS purchases
        FROM (SELECT category FROM viewed UNION SELECT category FROM carted UNION SELECT category FROM purchased) k
          LEFT JOIN viewed v USING (category) LEFT JOIN carted c USING (category) LEFT JOIN purchased p USING (category)
      )
      SELECT category, views, cart_adds, purchases,
        cart_adds / NULLIF(views, 0) AS view_to_cart,
        purchases / NULLIF(cart_adds, 0) AS cart_to_purchase
      FROM funnel
      ORDER BY views DESC, cart_adds DESC, purchases DESC, category
      LIMIT ${context.limit}`,
  },
};
