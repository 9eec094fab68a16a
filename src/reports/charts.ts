/**
 * Vega-Lite specifications of the sales report's charts. Each builder takes the rows of one KPI
 * and returns plain JSON with the rows inlined, so the server renders it to SVG for the PDF and
 * the dashboard hands the very same object to vega-embed. Rankings are horizontal bars, largest
 * at the top, with the figure printed at the end of each bar.
 */
import type { TopLevelSpec } from 'vega-lite';
import { currencySymbol } from './format.js';
import type {
  BestDateRow, CategoryRevenueRow, CountryRevenueRow, HighAttentionRow, MostOrdersRow, MostRevenueRow, MostSoldRow,
} from './types.js';

export interface ChartOptions {
  /** Total width in pixels (points in the PDF), axis labels included. */
  width?: number;
  /** ISO 4217 code of the money figures. */
  currency?: string;
}

export const DEFAULT_CHART_WIDTH = 515;
const BAR_STEP = 17;
const BAR_COLOR = '#3b6ea8';
const PRODUCT_NAME_CHARACTERS = 34;
/** A bar longer than this share of the longest one carries its figure inside, in white. */
const LABEL_INSIDE_SHARE = 0.72;

export const CHART_TITLES = {
  mostSold: 'Most sold products (units)',
  mostOrders: 'Products in the most orders',
  mostRevenue: 'Products that generated the most revenue',
  bestDates: 'Best dates (revenue by day)',
  revenueByCountry: 'Revenue by country',
  revenueByCategory: 'Revenue by category',
  highAttention: 'High-attention products (views in the last 4 hours)',
} as const;

export function mostSoldSpec(rows: MostSoldRow[], options: ChartOptions = {}): TopLevelSpec {
  return rankedBarSpec(rows, options, {
    description: CHART_TITLES.mostSold, label: PRODUCT_LABEL, value: 'units', valueTitle: 'Units sold', money: false,
    tooltip: [productTooltip(), countTooltip('units', 'Units'), moneyTooltip('revenue', 'Revenue')],
  });
}

export function mostOrdersSpec(rows: MostOrdersRow[], options: ChartOptions = {}): TopLevelSpec {
  return rankedBarSpec(rows, options, {
    description: CHART_TITLES.mostOrders, label: PRODUCT_LABEL, value: 'orders', valueTitle: 'Orders', money: false,
    tooltip: [productTooltip(), countTooltip('orders', 'Orders')],
  });
}

export function mostRevenueSpec(rows: MostRevenueRow[], options: ChartOptions = {}): TopLevelSpec {
  return rankedBarSpec(rows, options, {
    description: CHART_TITLES.mostRevenue, label: PRODUCT_LABEL, value: 'revenue', valueTitle: 'Net revenue', money: true,
    tooltip: [productTooltip(), moneyTooltip('revenue', 'Revenue'), countTooltip('units', 'Units')],
  });
}

/** The best days of the period as a ranking, best at the top; each label carries its weekday. */
export function bestDatesSpec(rows: BestDateRow[], options: ChartOptions = {}): TopLevelSpec {
  return rankedBarSpec(rows, options, {
    description: CHART_TITLES.bestDates, label: "datum.day + '  ' + utcFormat(toDate(datum.day), '%a')",
    value: 'revenue', valueTitle: 'Net revenue', money: true,
    tooltip: [{ field: 'day', type: 'nominal', title: 'Day' }, moneyTooltip('revenue', 'Revenue'), countTooltip('orders', 'Orders')],
  });
}

export function revenueByCountrySpec(rows: CountryRevenueRow[], options: ChartOptions = {}): TopLevelSpec {
  return rankedBarSpec(rows, options, {
    description: CHART_TITLES.revenueByCountry, label: `truncate(datum.country, ${PRODUCT_NAME_CHARACTERS})`,
    value: 'revenue', valueTitle: 'Net revenue', money: true,
    tooltip: [{ field: 'country', type: 'nominal', title: 'Country' }, moneyTooltip('revenue', 'Revenue'), countTooltip('orders', 'Orders')],
  });
}

export function revenueByCategorySpec(rows: CategoryRevenueRow[], options: ChartOptions = {}): TopLevelSpec {
  return rankedBarSpec(rows, options, {
    description: CHART_TITLES.revenueByCategory, label: `truncate(datum.category, ${PRODUCT_NAME_CHARACTERS})`,
    value: 'revenue', valueTitle: 'Net revenue', money: true,
    tooltip: [{ field: 'category', type: 'nominal', title: 'Category' }, moneyTooltip('revenue', 'Revenue'), countTooltip('units', 'Units')],
  });
}

export function highAttentionSpec(rows: HighAttentionRow[], options: ChartOptions = {}): TopLevelSpec {
  return rankedBarSpec(rows, options, {
    description: CHART_TITLES.highAttention, label: PRODUCT_LABEL, value: 'views', valueTitle: 'Views', money: false,
    tooltip: [productTooltip(), countTooltip('views', 'Views')],
  });
}

/** "WHITE HANGING HEART T-LIGHT HOL… · 85123A"; the id alone when the catalog has no name. */
const PRODUCT_LABEL =
  `isValid(datum.product_name) && datum.product_name !== '' ` +
  `? truncate(datum.product_name, ${PRODUCT_NAME_CHARACTERS}) + ' · ' + datum.product_id : datum.product_id`;

interface RankedBar {
  description: string;
  /** Vega expression of the category label, over one row (`datum`). */
  label: string;
  value: string;
  valueTitle: string;
  money: boolean;
  tooltip: Record<string, unknown>[];
}

function rankedBarSpec<Row extends object>(rows: Row[], options: ChartOptions, chart: RankedBar): TopLevelSpec {
  const symbol = currencySymbol(options.currency ?? 'GBP');
  const valueField = chart.value;
  const valueText = chart.money ? moneyExpression(`datum.${valueField}`, symbol) : `format(datum.${valueField}, ',d')`;
  const largest = Math.max(0, ...rows.map((row) => Number((row as Record<string, unknown>)[valueField]) || 0));
  const x = {
    field: valueField, type: 'quantitative', title: chart.money ? `${chart.valueTitle} (${symbol.trim()})` : chart.valueTitle,
    axis: {
      format: largest >= 100_000 ? '~s' : ',d', tickCount: 6, grid: true, gridColor: '#e6e6e6',
      // SI ticks would print zero as "0k".
      labelExpr: "datum.value === 0 ? '0' : datum.label",
    },
  };
  const y = {
    field: 'label', type: 'nominal', title: null, sort: { field: 'rank', op: 'min', order: 'ascending' },
    axis: { labelLimit: 300, ticks: false, domain: false, labelPadding: 6 },
  };
  const value = `datum.${valueField}`;
  const inside = `${value} > ${LABEL_INSIDE_SHARE} * datum.largest_value`;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    description: chart.description,
    width: options.width ?? DEFAULT_CHART_WIDTH,
    height: { step: BAR_STEP },
    autosize: { type: 'fit-x', contains: 'padding' },
    padding: { left: 2, right: 2, top: 4, bottom: 2 },
    background: 'white',
    data: { values: rows.map((row) => ({ ...row })) as Record<string, unknown>[] },
    transform: [
      { calculate: chart.label, as: 'label' },
      { calculate: valueText, as: 'value_text' },
      // Ranking inside the spec keeps the chart correct whatever order the rows arrive in.
      { window: [{ op: 'row_number', as: 'rank' }], sort: [{ field: valueField, order: 'descending' }] },
      { joinaggregate: [{ op: 'max', field: valueField, as: 'largest_value' }] },
    ],
    encoding: { y, x },
    layer: [
      { mark: { type: 'bar', color: BAR_COLOR, cornerRadiusEnd: 2 }, encoding: { tooltip: chart.tooltip } },
      valueLabels(`${inside}`, { align: 'right', dx: -4, color: 'white', fontWeight: 'bold' }),
      valueLabels(`${value} >= 0 && !(${inside})`, { align: 'left', dx: 4, color: '#222222' }),
      // A negative bar grows left from zero; its figure sits just right of zero, clear of the bar.
      valueLabels(`${value} < 0`, { align: 'left', dx: 4, color: '#b3261e' }, { datum: 0 }),
    ],
    config: {
      font: 'Inter',
      view: { stroke: null },
      axis: { labelFontSize: 9, titleFontSize: 9, titleFontWeight: 'normal', labelColor: '#333333', titleColor: '#555555' },
    },
  } as unknown as TopLevelSpec;
}

function valueLabels(filter: string, mark: Record<string, unknown>, x?: Record<string, unknown>): Record<string, unknown> {
  return {
    transform: [{ filter }],
    mark: { type: 'text', baseline: 'middle', fontSize: 9, ...mark },
    encoding: { text: { field: 'value_text' }, ...(x ? { x } : {}) },
  };
}

/** Vega expression printing an amount as "£1,234.50" or "-£12.00". */
function moneyExpression(field: string, symbol: string): string {
  return `(${field} < 0 ? '-' : '') + ${JSON.stringify(symbol)} + format(abs(${field}), ',.2f')`;
}

function productTooltip(): Record<string, unknown> {
  return { field: 'label', type: 'nominal', title: 'Product' };
}

function countTooltip(field: string, title: string): Record<string, unknown> {
  return { field, type: 'quantitative', title, format: ',d' };
}

function moneyTooltip(field: string, title: string): Record<string, unknown> {
  return { field, type: 'quantitative', title, format: ',.2f' };
}
