/**
 * The rows a sales report is drawn from. Each list is one KPI of the warehouse catalog
 * (src/warehouse/kpis), with the catalog's column names, so the same rows feed the API,
 * the dashboard charts and the PDF.
 */

export interface TotalsRow {
  orders: number;
  net_revenue: number;
  average_order_value: number | null;
  customers: number;
  return_rate: number | null;
  units: number;
}

export interface MostSoldRow { product_id: string; product_name: string | null; units: number; revenue: number }
export interface MostOrdersRow { product_id: string; product_name: string | null; orders: number }
export interface MostRevenueRow { product_id: string; product_name: string | null; revenue: number; units: number }
export interface BestDateRow { day: string; revenue: number; orders: number }
export interface CountryRevenueRow { country: string; revenue: number; orders: number }
export interface CategoryRevenueRow { category: string; revenue: number; units: number }
export interface HighAttentionRow { product_id: string; product_name: string | null; views: number }

export interface SalesReportInput {
  shopName: string;
  /** ISO 4217 code; GBP, EUR and USD print as £, € and $. */
  currency: string;
  /** YYYY-MM-DD dates in the shop's zone, half-open: `to` is the first day not included. */
  period: { from: string; to: string };
  seller?: string;
  totals: TotalsRow;
  previousTotals: TotalsRow;
  mostSold: MostSoldRow[];
  mostOrders: MostOrdersRow[];
  mostRevenue: MostRevenueRow[];
  bestDates: BestDateRow[];
  revenueByCountry: CountryRevenueRow[];
  revenueByCategory: CategoryRevenueRow[];
  highAttention: HighAttentionRow[];
  generatedAt: Date;
}
