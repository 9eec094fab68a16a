/** The KPI catalog (DESIGN §5): one file per KPI, listed here in the order the dashboard shows them. */
import type { KpiDefinition } from './definition.js';
import { totals } from './totals.js';
import { mostSold } from './most-sold.js';
import { mostOrders } from './most-orders.js';
import { mostRevenue } from './most-revenue.js';
import { bestDates } from './best-dates.js';
import { revenueByCountry } from './revenue-by-country.js';
import { revenueByCategory } from './revenue-by-category.js';
import { revenueBySeller } from './revenue-by-seller.js';
import { productDaySales } from './product-day-sales.js';
import { viewsLast4h } from './views-last-4h.js';
import { conversionFunnel } from './conversion-funnel.js';
import { conversionByCategory } from './conversion-by-category.js';
import { stability } from './stability.js';

export type { KpiDefinition, KpiSql, KpiSqlContext, SqlDialect } from './definition.js';

export const kpiCatalog: readonly KpiDefinition[] = [
  totals, mostSold, mostOrders, mostRevenue, bestDates, revenueByCountry, revenueByCategory, revenueBySeller,
  productDaySales, viewsLast4h, conversionFunnel, conversionByCategory, stability,
];

const byName = new Map(kpiCatalog.map((kpi) => [kpi.name, kpi]));

/** Finds a KPI by name; `most_sold` finds `most-sold`. */
export function findKpi(name: string): KpiDefinition | undefined {
  return byName.get(name.trim().toLowerCase().replaceAll('_', '-'));
}

export const kpiNames: readonly string[] = kpiCatalog.map((kpi) => kpi.name);
