/**
 * What one KPI file exports: its name, what it shows, its columns, and its SQL per engine. The SQL
 * is written against a KpiSqlContext, which supplies the shared filter and the bound parameters
 * of its dialect, so a KPI file holds only the query itself.
 */
import type { FactTable, KpiColumn } from '../port.js';

export type SqlDialect = 'duckdb' | 'clickhouse';

export interface FilterOptions {
  /** Qualifies the filtered columns (`l.ts` for alias `l`). */
  alias?: string;
  /** Replaces the range with [to − lastHours, to). */
  lastHours?: number;
}

export interface KpiSqlContext {
  /**
   * The predicate for the query's range [from, to) on `ts`, plus its country and seller filters
   * where the table has those columns (cart_adds has no country; probes have neither).
   */
  where(table: FactTable, options?: FilterOptions): string;
  /** The row limit, as a bound parameter. */
  readonly limit: string;
  /**
   * Minutes of the range that can hold data of `table`: from the later of `from` and the table's
   * first row, to the earlier of `to` and now (an all-history query is not divided by centuries).
   */
  observedMinutes(table: FactTable): string;
}

export type KpiSql = (context: KpiSqlContext) => string;

export interface KpiDefinition {
  /** kebab-case, as in /api/kpis/<name>. */
  name: string;
  title: string;
  description: string;
  columns: KpiColumn[];
  sql: { duckdb: KpiSql; clickhouse?: KpiSql };
}

/** Which dimensions each fact table carries, for the shared filter of every dialect. */
export const FILTERABLE_DIMENSIONS: Record<FactTable, { country: boolean; seller: boolean }> = {
  order_lines: { country: true, seller: true },
  views: { country: true, seller: true },
  cart_adds: { country: false, seller: true },
  probes: { country: false, seller: false },
};

/** Labels for missing dimension values, shared by every dialect so that figures compare. */
export const UNKNOWN_COUNTRY = 'Unknown';
export const UNCATEGORIZED = 'Uncategorized';
export const NO_SELLER = '(no seller)';
