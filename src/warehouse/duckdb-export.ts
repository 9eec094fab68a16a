/**
 * exportFacts for DuckDB: COPY the matching facts of one table to a CSV (with header) or Parquet
 * file. In CSV, instants are ISO-8601 UTC with a Z; in Parquet they are UTC-adjusted timestamps.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { FactFilter, FactTable } from './port.js';
import { FILTERABLE_DIMENSIONS } from './kpis/definition.js';

/** Columns in reading order: when, what, how much, then the ids. */
const EXPORT_COLUMNS: Record<FactTable, string[]> = {
  order_lines: [
    'day', 'ts', 'order_id', 'line_no', 'customer_id', 'country', 'seller_id', 'product_id', 'product_name', 'category',
    'kind', 'cancellation', 'quantity', 'unit_price', 'amount', 'currency', 'event_id',
  ],
  views: ['day', 'ts', 'product_id', 'category', 'seller_id', 'session_id', 'customer_id', 'country', 'location', 'event_id'],
  cart_adds: ['day', 'ts', 'product_id', 'category', 'seller_id', 'session_id', 'quantity', 'event_id'],
  probes: ['day', 'ts', 'location', 'target', 'ok', 'status', 'latency_ms', 'event_id'],
};

export async function exportFactsFromDuckDb(
  connection: DuckDBConnection, table: FactTable, filter: FactFilter, file: string, format: 'csv' | 'parquet',
): Promise<number> {
  const columns = EXPORT_COLUMNS[table].map((column) => exportedColumn(column, format));
  const { where, parameters } = exportFilter(table, filter);
  const options = format === 'csv' ? 'FORMAT csv, HEADER true' : 'FORMAT parquet';
  // COPY takes no parameter for its target; the path comes from our own code, quoted as a literal.
  // A full order: the warehouse keeps no insertion order (duckdb.ts), and an order's lines share ts and event_id.
  const order = table === 'order_lines' ? 'ts, event_id, line_no' : 'ts, event_id';
  const sql = `COPY (SELECT ${columns.join(', ')} FROM ${table} WHERE ${where} ORDER BY ${order})
    TO ${sqlStringLiteral(file)} (${options})`;
  try {
    const reader = await connection.runAndReadAll(sql, parameters);
    return Number(reader.getRows()[0][0]);
  } catch (error) {
    throw new Error(`warehouse: export of ${table} to ${file} failed: ${(error as Error).message}`);
  }
}

function exportedColumn(column: string, format: 'csv' | 'parquet'): string {
  if (column === 'ts') return format === 'csv' ? "strftime(ts, '%Y-%m-%dT%H:%M:%S.%gZ') AS ts" : 'ts::TIMESTAMPTZ AS ts';
  if (column === 'day' && format === 'csv') return "strftime(day, '%Y-%m-%d') AS day";
  return column;
}

function exportFilter(table: FactTable, filter: FactFilter): { where: string; parameters: Record<string, string | number> } {
  const conditions = ['TRUE'];
  const parameters: Record<string, string | number> = {};
  if (filter.fromMs !== undefined) {
    conditions.push('ts >= epoch_ms(CAST($from_ms AS BIGINT))');
    parameters.from_ms = filter.fromMs;
  }
  if (filter.toMs !== undefined) {
    conditions.push('ts < epoch_ms(CAST($to_ms AS BIGINT))');
    parameters.to_ms = filter.toMs;
  }
  if (filter.country !== undefined) {
    if (!FILTERABLE_DIMENSIONS[table].country) {
      throw new Error(`warehouse: ${table} has no country column; export it without a country filter`);
    }
    conditions.push('country = $country');
    parameters.country = filter.country;
  }
  return { where: conditions.join(' AND '), parameters };
}

function sqlStringLiteral(text: string): string {
  if (text.includes('\u0000')) throw new Error(`warehouse: export path ${JSON.stringify(text)} contains a NUL character`);
  return `'${text.replaceAll("'", "''")}'`;
}
