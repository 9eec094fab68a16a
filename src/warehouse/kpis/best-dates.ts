import type { KpiDefinition } from './definition.js';

export const bestDates: KpiDefinition = {
  name: 'best-dates',
  title: 'Best dates',
  description: "Days (in the shop's time zone) by net revenue of every line, fees and adjustments included; orders are distinct order ids, cancellations included.",
  columns: [
    { name: 'day', type: 'date', label: 'Date' },
    { name: 'revenue', type: 'money', label: 'Revenue' },
    { name: 'orders', type: 'integer', label: 'Orders' },
  ],
  sql: {
    duckdb: (context) => `
      SELECT day, ROUND(SUM(amount), 2)::DOUBLE AS revenue, COUNT(DISTINCT order_id) AS orders
      FROM order_lines
      WHERE ${context.where('order_lines')}
      GROUP BY day
      ORDER BY SUM(amount) DESC, day
      LIMIT ${context.limit}`,
  },
};
