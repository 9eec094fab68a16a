/** The chart sections of the sales report: a heading, a Vega-Lite spec and a table of its top rows. */
import type { TopLevelSpec } from 'vega-lite';
import {
  CHART_TITLES, bestDatesSpec, highAttentionSpec, mostOrdersSpec, mostRevenueSpec, mostSoldSpec, revenueByCategorySpec,
  revenueByCountrySpec, type ChartOptions,
} from './charts.js';
import { formatCount, formatMoney } from './format.js';
import type { TableColumn } from './pdf-draw.js';
import type { SalesReportInput } from './types.js';

export interface ReportSection {
  title: string;
  spec: TopLevelSpec;
  columns: TableColumn[];
  /** The top rows, largest first, as display text. */
  rows: string[][];
  /** Shown instead of the chart when the KPI returned no rows. */
  emptyText: string;
  /** True for sections drawn from sales, which an empty period leaves out. */
  fromSales: boolean;
}

export const TABLE_ROWS = 5;
/** KPIs may return more (the high-attention list holds 100); a report chart shows the top 10. */
export const CHART_ROWS = 10;
const RANK: TableColumn = { header: '#', share: 0.5, align: 'right' };
const PRODUCT: TableColumn = { header: 'Product', share: 6 };
const PRODUCT_ID: TableColumn = { header: 'Product id', share: 1.6 };

export function buildSections(input: SalesReportInput, chartOptions: ChartOptions): ReportSection[] {
  const money = (amount: number) => formatMoney(amount, input.currency);
  const productName = (row: { product_id: string; product_name: string | null }) => row.product_name || '(no name in catalog)';
  return [
    {
      title: CHART_TITLES.mostSold, spec: mostSoldSpec(topRows(input.mostSold, 'units', CHART_ROWS), chartOptions), fromSales: true,
      emptyText: 'No products were sold in this period.',
      columns: [RANK, PRODUCT, PRODUCT_ID, number('Units'), number('Revenue', 1.6)],
      rows: topRows(input.mostSold, 'units', TABLE_ROWS).map((row, index) =>
        [rank(index), productName(row), row.product_id, formatCount(row.units), money(row.revenue)]),
    },
    {
      title: CHART_TITLES.mostOrders, spec: mostOrdersSpec(topRows(input.mostOrders, 'orders', CHART_ROWS), chartOptions), fromSales: true,
      emptyText: 'No orders in this period.',
      columns: [RANK, PRODUCT, PRODUCT_ID, number('Orders')],
      rows: topRows(input.mostOrders, 'orders', TABLE_ROWS).map((row, index) =>
        [rank(index), productName(row), row.product_id, formatCount(row.orders)]),
    },
    {
      title: CHART_TITLES.mostRevenue, spec: mostRevenueSpec(topRows(input.mostRevenue, 'revenue', CHART_ROWS), chartOptions), fromSales: true,
      emptyText: 'No revenue in this period.',
      columns: [RANK, PRODUCT, PRODUCT_ID, number('Revenue', 1.6), number('Units')],
      rows: topRows(input.mostRevenue, 'revenue', TABLE_ROWS).map((row, index) =>
        [rank(index), productName(row), row.product_id, money(row.revenue), formatCount(row.units)]),
    },
    {
      title: CHART_TITLES.bestDates, spec: bestDatesSpec(topRows(input.bestDates, 'revenue', CHART_ROWS), chartOptions), fromSales: true,
      emptyText: 'No sales on any day of this period.',
      columns: [RANK, { header: 'Day', share: 6 }, number('Revenue', 1.6), number('Orders')],
      rows: topRows(input.bestDates, 'revenue', TABLE_ROWS).map((row, index) =>
        [rank(index), `${row.day} ${weekday(row.day)}`, money(row.revenue), formatCount(row.orders)]),
    },
    {
      title: CHART_TITLES.revenueByCountry, spec: revenueByCountrySpec(topRows(input.revenueByCountry, 'revenue', CHART_ROWS), chartOptions), fromSales: true,
      emptyText: 'No revenue by country in this period.',
      columns: [RANK, { header: 'Country', share: 6 }, number('Revenue', 1.6), number('Orders')],
      rows: topRows(input.revenueByCountry, 'revenue', TABLE_ROWS).map((row, index) =>
        [rank(index), row.country, money(row.revenue), formatCount(row.orders)]),
    },
    {
      title: CHART_TITLES.revenueByCategory, spec: revenueByCategorySpec(topRows(input.revenueByCategory, 'revenue', CHART_ROWS), chartOptions), fromSales: true,
      emptyText: 'No revenue by category in this period.',
      columns: [RANK, { header: 'Category', share: 6 }, number('Revenue', 1.6), number('Units')],
      rows: topRows(input.revenueByCategory, 'revenue', TABLE_ROWS).map((row, index) =>
        [rank(index), row.category, money(row.revenue), formatCount(row.units)]),
    },
    {
      title: CHART_TITLES.highAttention, spec: highAttentionSpec(topRows(input.highAttention, 'views', CHART_ROWS), chartOptions), fromSales: false,
      emptyText: 'No product views were recorded in the last 4 hours of this period.',
      columns: [RANK, PRODUCT, PRODUCT_ID, number('Views')],
      rows: topRows(input.highAttention, 'views', TABLE_ROWS).map((row, index) =>
        [rank(index), productName(row), row.product_id, formatCount(row.views)]),
    },
  ];
}

/** The first `count` rows by `field`, largest first; ties keep the KPI's order (the sort is stable). */
function topRows<Row, Field extends keyof Row>(rows: Row[], field: Field, count: number): Row[] {
  return [...rows].sort((a, b) => Number(b[field]) - Number(a[field])).slice(0, count);
}

function number(header: string, share = 1.1): TableColumn {
  return { header, share, align: 'right' };
}

function rank(index: number): string {
  return String(index + 1);
}

function weekday(day: string): string {
  return new Date(`${day}T00:00:00Z`).toLocaleDateString('en-GB', { weekday: 'short', timeZone: 'UTC' });
}
