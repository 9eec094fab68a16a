import { NO_SELLER, type KpiDefinition } from './definition.js';

export const revenueBySeller: KpiDefinition = {
  name: 'revenue-by-seller',
  title: 'Revenue by seller',
  description: `Net revenue of every line per seller; "${NO_SELLER}" for orders sold by the shop itself. Orders are distinct order ids, cancellations included.`,
  columns: [
    { name: 'seller_id', type: 'text', label: 'Seller' },
    { name: 'revenue', type: 'money', label: 'Revenue' },
    { name: 'orders', type: 'integer', label: 'Orders' },
  ],
  sql: {
    duckdb: (context) => `
      SELECT COALESCE(seller_id, '${NO_SELLER}') AS seller_id, ROUND(SUM(amount), 2)::DOUBLE AS revenue, COUNT(DISTINCT order_id) AS orders
      FROM order_lines
      WHERE ${context.where('order_lines')}
      GROUP BY COALESCE(seller_id, '${NO_SELLER}')
      ORDER BY SUM(amount) DESC, seller_id
      LIMIT ${context.limit}`,
  },
};
