/**
 * Builds a sales report's input from the KPI catalog (the same KPIs as the API and dashboard):
 * totals for the period and the one before it, the chart rankings, and the high-attention list.
 * Dates are YYYY-MM-DD in the shop's zone; a period is half-open [from, to).
 */
import type { App } from '../app.js';
import { localDate, parseBound } from '../events/time.js';
import { NO_SELLER } from '../warehouse/kpis/definition.js';
import type { KpiQuery, KpiRow } from '../warehouse/port.js';
import type {
  BestDateRow, CategoryRevenueRow, CountryRevenueRow, HighAttentionRow, MostOrdersRow, MostRevenueRow, MostSoldRow,
  SalesReportInput, TotalsRow,
} from './types.js';

export class ReportPeriodError extends Error {
  override name = 'ReportPeriodError';
}

export interface ReportPeriod { from: string; to: string }

const DAY_MS = 86_400_000;
const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
/** A chart shows ten rows; the KPIs are asked for just as many. */
const RANKING_ROWS = 10;
const ALL_SELLERS = 100_000;
/** Beyond this a "report" is a data export: ask the query API instead. */
const MAX_PERIOD_DAYS = 3_660;
const DEFAULT_PERIOD_DAYS = 7;

/**
 * The weekly job's period: the 7 full days ending with the day of `at` (in the shop's zone).
 * The Sunday 23:00 run of 2011-11-20 covers Monday 2011-11-14 to Sunday 2011-11-20, that is
 * { from: '2011-11-14', to: '2011-11-21' }: the week that is ending, not the one before it.
 */
export function defaultReportPeriod(at: Date, timeZone: string): ReportPeriod {
  const runDay = localDate(at.getTime(), timeZone);
  return { from: addDays(runDay, 1 - DEFAULT_PERIOD_DAYS), to: addDays(runDay, 1) };
}

/** Throws ReportPeriodError naming the bad bound; returns the period's length in days. */
export function checkReportPeriod(period: ReportPeriod): number {
  for (const [name, value] of [['from', period.from], ['to', period.to]] as const) {
    if (typeof value !== 'string' || !DATE_PATTERN.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`)) ||
      new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) !== value) {
      throw new ReportPeriodError(`report ${name} "${String(value)}" is not a date; write it like 2011-11-13`);
    }
  }
  const days = Math.round((Date.parse(`${period.to}T00:00:00Z`) - Date.parse(`${period.from}T00:00:00Z`)) / DAY_MS);
  if (days < 1) {
    throw new ReportPeriodError(`report period ${period.from} to ${period.to} is empty: "to" is the first day not included and must be after "from"`);
  }
  if (days > MAX_PERIOD_DAYS) {
    throw new ReportPeriodError(`report period ${period.from} to ${period.to} is ${days} days; a report covers at most ${MAX_PERIOD_DAYS} days`);
  }
  return days;
}

/** The period of the same length just before `period`. */
export function previousPeriod(period: ReportPeriod): ReportPeriod {
  const days = checkReportPeriod(period);
  return { from: addDays(period.from, -days), to: period.from };
}

/**
 * High attention is the `views-last-4h` KPI at the end of the period (or at `generatedAt` when the
 * period has not ended yet), filtered like the rest of the report: it reproduces for a past week
 * and for one seller, which the store's latest high_attention list (shop-wide, "now") does not.
 */
export async function buildSalesReportInput(
  app: App,
  options: { from: string; to: string; seller?: string; generatedAt?: Date },
): Promise<SalesReportInput> {
  const period = { from: options.from, to: options.to };
  checkReportPeriod(period);
  const generatedAt = options.generatedAt ?? new Date();
  const timeZone = app.config.timeZone;
  const query = kpiQuery(period, timeZone, options.seller);
  const before = kpiQuery(previousPeriod(period), timeZone, options.seller);
  const attention = { ...query, toMs: Math.min(query.toMs, Math.max(generatedAt.getTime(), query.fromMs + 1)) };
  const run = async (name: string, kpi: KpiQuery) => (await app.warehouse.runKpi(name, kpi)).rows;

  // One KPI at a time: the embedded warehouse serializes queries anyway, and the order stays readable.
  const totals = toTotals(await run('totals', query));
  const previousTotals = toTotals(await run('totals', before));
  return {
    shopName: app.config.shopName,
    currency: app.config.currency,
    period,
    ...(options.seller === undefined ? {} : { seller: options.seller }),
    totals,
    previousTotals,
    mostSold: (await run('most-sold', query)).map((row): MostSoldRow => ({
      product_id: text(row.product_id), product_name: nameOf(row), units: count(row.units), revenue: count(row.revenue),
    })),
    mostOrders: (await run('most-orders', query)).map((row): MostOrdersRow => ({
      product_id: text(row.product_id), product_name: nameOf(row), orders: count(row.orders),
    })),
    mostRevenue: (await run('most-revenue', query)).map((row): MostRevenueRow => ({
      product_id: text(row.product_id), product_name: nameOf(row), revenue: count(row.revenue), units: count(row.units),
    })),
    bestDates: (await run('best-dates', query)).map((row): BestDateRow => ({
      day: text(row.day), revenue: count(row.revenue), orders: count(row.orders),
    })),
    revenueByCountry: (await run('revenue-by-country', query)).map((row): CountryRevenueRow => ({
      country: text(row.country), revenue: count(row.revenue), orders: count(row.orders),
    })),
    revenueByCategory: (await run('revenue-by-category', query)).map((row): CategoryRevenueRow => ({
      category: text(row.category), revenue: count(row.revenue), units: count(row.units),
    })),
    highAttention: (await run('views-last-4h', attention)).map((row): HighAttentionRow => ({
      product_id: text(row.product_id), product_name: nameOf(row), views: count(row.views),
    })),
    generatedAt,
  };
}

/** Every seller with order lines in the period, by revenue; orders the shop sold itself are not a seller. */
export async function sellersWithSales(app: App, from: string, to: string): Promise<string[]> {
  const query = { ...kpiQuery({ from, to }, app.config.timeZone), limit: ALL_SELLERS };
  const { rows } = await app.warehouse.runKpi('revenue-by-seller', query);
  return rows.map((row) => text(row.seller_id)).filter((seller) => seller !== NO_SELLER && seller !== '');
}

function kpiQuery(period: ReportPeriod, timeZone: string, seller?: string): KpiQuery {
  return {
    fromMs: parseBound(period.from, timeZone),
    toMs: parseBound(period.to, timeZone),
    limit: RANKING_ROWS,
    ...(seller === undefined ? {} : { seller }),
  };
}

function toTotals(rows: KpiRow[]): TotalsRow {
  const row = rows[0] ?? {};
  return {
    orders: count(row.orders),
    net_revenue: count(row.net_revenue),
    average_order_value: optionalNumber(row.average_order_value),
    customers: count(row.customers),
    return_rate: optionalNumber(row.return_rate),
    units: count(row.units),
  };
}

function count(value: KpiRow[string] | undefined): number {
  const number = Number(value ?? 0);
  return Number.isFinite(number) ? number : 0;
}

function optionalNumber(value: KpiRow[string] | undefined): number | null {
  if (value === null || value === undefined) return null;
  const number = Number(value);
  return Number.isFinite(number) ? number : null;
}

function text(value: KpiRow[string] | undefined): string {
  return value === null || value === undefined ? '' : String(value);
}

function nameOf(row: KpiRow): string | null {
  return row.product_name === null || row.product_name === undefined || row.product_name === '' ? null : String(row.product_name);
}

export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}
