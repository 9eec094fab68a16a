import { UNCATEGORIZED, type KpiDefinition } from './definition.js';

export const revenueByCategory: KpiDefinition = {
  name: 'revenue-by-category',
  title: 'Revenue by category',
  description: `Net revenue and net units of every line per product category; "${UNCATEGORIZED}" when the line has none (fees and adjustments land there), so the rows add up to net revenue.`,
  columns: [
    { name: 'category', type: 'text', label: 'Category' },
    { name: 'revenue', type: 'money', label: 'Revenue' },
    { name: 'units', type: 'integer', label: 'Units' },
  ],
  sql: {
    duckdb: (context) => `
      SELECT COALESCE(category, '${UNCATEGORIZED}') AS category, ROUND(SUM(amount), 2)::DOUBLE AS revenue, SUM(quantity) AS units
      FROM order_lines
      WHERE ${context.where('order_lines')}
      GROUP BY COALESCE(category, '${UNCATEGORIZED}')
      ORDER BY SUM(amount) DESC, category
      LIMIT ${context.limit}`,
  },
};
