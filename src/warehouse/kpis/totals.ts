import type { KpiDefinition } from './definition.js';

export const totals: KpiDefinition = {
  name: 'totals',
  title: 'Totals',
  description: 'One row over every line, fees and adjustments included: orders (distinct order ids, cancellations included), net revenue, average order value (net revenue ÷ orders that are not cancellations), customers (distinct non-empty ids), return rate (units on negative lines ÷ units on positive lines), net units.',
  columns: [
    { name: 'orders', type: 'integer', label: 'Orders' },
    { name: 'net_revenue', type: 'money', label: 'Net revenue' },
    { name: 'average_order_value', type: 'money', label: 'Average order value' },
    { name: 'customers', type: 'integer', label: 'Customers' },
    { name: 'return_rate', type: 'ratio', label: 'Return rate' },
    { name: 'units', type: 'integer', label: 'Units' },
  ],
  sql: {
    duckdb: (context) => `
      SELECT
        COUNT(DISTINCT order_id) AS orders,
        ROUND(COALESCE(SUM(amount), 0), 2)::DOUBLE AS net_revenue,
        ROUND(SUM(amount) / NULLIF(COUNT(DISTINCT order_id) FILTER (WHERE NOT cancellation), 0), 2)::DOUBLE AS average_order_value,
        COUNT(DISTINCT NULLIF(customer_id, '')) AS customers,
        (SUM(-quantity) FILTER (WHERE quantity < 0))::DOUBLE / NULLIF(SUM(quantity) FILTER (WHERE quantity > 0), 0) AS return_rate,
        COALESCE(SUM(quantity), 0) AS units
      FROM order_lines
      WHERE ${context.where('order_lines')}`,
  },
};
