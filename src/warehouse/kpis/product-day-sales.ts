import { UNKNOWN_COUNTRY, type KpiDefinition } from './definition.js';

export const productDaySales: KpiDefinition = {
  name: 'product-day-sales',
  title: 'Sales per product per day',
  description: `Net quantity and amount per day, country and product, of every line kind (fees and adjustments too), so that a country's rows add up to its revenue in revenue-by-country; "${UNKNOWN_COUNTRY}" when the order has no country. Exports want every row: pass a large limit.`,
  columns: [
    { name: 'day', type: 'date', label: 'Date' },
    { name: 'country', type: 'text', label: 'Country' },
    { name: 'product_id', type: 'text', label: 'Product' },
    { name: 'total_quantity', type: 'integer', label: 'Total quantity' },
    { name: 'total_amount', type: 'money', label: 'Total amount' },
  ],
  sql: {
    duckdb: (context) => `
      SELECT day, COALESCE(country, '${UNKNOWN_COUNTRY}') AS country, product_id,
        SUM(quantity) AS total_quantity, ROUND(SUM(amount), 2)::DOUBLE AS total_amount
      FROM order_lines
      WHERE ${context.where('order_lines')}
      GROUP BY day, COALESCE(country, '${UNKNOWN_COUNTRY}'), product_id
      ORDER BY day, country, product_id
      LIMIT ${context.limit}`,
  },
};
