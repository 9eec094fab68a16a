import { UNKNOWN_COUNTRY, type KpiDefinition } from './definition.js';

export const revenueByCountry: KpiDefinition = {
  name: 'revenue-by-country',
  title: 'Revenue by country',
  description: `Net revenue of every line (fees and adjustments included) per country of the order; "${UNKNOWN_COUNTRY}" when the order has none. Orders are distinct order ids, cancellations included.`,
  columns: [
    { name: 'country', type: 'text', label: 'Country' },
    { name: 'revenue', type: 'money', label: 'Revenue' },
    { name: 'orders', type: 'integer', label: 'Orders' },
  ],
  sql: {
    duckdb: (context) => `
      SELECT COALESCE(country, '${UNKNOWN_COUNTRY}') AS country, ROUND(SUM(amount), 2)::DOUBLE AS revenue, COUNT(DISTINCT order_id) AS orders
      FROM order_lines
      WHERE ${context.where('order_lines')}
      GROUP BY COALESCE(country, '${UNKNOWN_COUNTRY}')
      ORDER BY SUM(amount) DESC, country
      LIMIT ${context.limit}`,
  },
};
