/**
 * The embedded warehouse: DuckDB in one file (DESIGN §2, §4). One connection, with its operations
 * serialized, because a DuckDB connection carries one transaction at a time.
 */
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from './duckdb-api.js';
import { isValidTimeZone } from '../events/time.js';
import type {
  AppendFactsOptions, AppendFactsResult, FactBatch, FactFilter, FactTable, KpiQuery, KpiResult, Warehouse, WarehouseBulkLoad,
} from './port.js';
import { appendFactsToDuckDb } from './duckdb-append.js';
import { BULK_INSERT_ROWS, openDuckDbBulkLoad } from './duckdb-bulk.js';
import { exportFactsFromDuckDb } from './duckdb-export.js';
import { customerInvoicesFromDuckDb, invoiceFromDuckDb } from './duckdb-invoices.js';
import type { Invoice, InvoiceSummary, Page } from '../store/port.js';
import { DUCKDB_FACT_TABLES, DUCKDB_ORDER_LINES_VIEW, DUCKDB_STAGING_TABLES } from './duckdb-schema.js';
import { migrateWideOrderLines } from './duckdb-migrate.js';
import { SerialQueue } from './serial-queue.js';
import { findKpi, kpiNames } from './kpis/index.js';
import { DuckDbKpiContext } from './kpis/filter.js';
import { toKpiRows } from './kpis/rows.js';

export interface DuckDbWarehouseOptions {
  /** Database file; created when missing. */
  file: string;
  /** The shop's zone, in which the facts' `day` columns are written (recorded; queries read `day` as stored). */
  timeZone: string;
  /** DuckDB's buffer memory cap (e.g. '256MB'); DuckDB's own default is 80% of RAM. */
  memoryLimit?: string;
  /** Rows a bulk load inserts per transaction (default: two row groups); small values for tests. */
  bulkInsertRows?: number;
}

export async function openDuckDbWarehouse(options: DuckDbWarehouseOptions): Promise<Warehouse> {
  if (!isValidTimeZone(options.timeZone)) {
    throw new Error(`warehouse: time zone "${options.timeZone}" is not an IANA zone name; set STOREPULSE_TIMEZONE to one like Europe/London`);
  }
  let instance: DuckDBInstance;
  try {
    // Facts have no order of their own: every query that returns rows sorts them, and inserts that need not
    // keep the order of their input run ~30% faster (measured on the online-retail import's inserts).
    const config: Record<string, string> = { preserve_insertion_order: 'false' };
    if (options.memoryLimit) config.memory_limit = options.memoryLimit;
    instance = await DuckDBInstance.create(options.file, config);
  } catch (error) {
    throw new Error(`warehouse: cannot open DuckDB file ${options.file}: ${(error as Error).message}; is another process using it?`);
  }
  const connection = await instance.connect();
  // Instants are stored as UTC TIMESTAMPs; keep every cast in UTC whatever the machine's zone.
  await connection.run("SET TimeZone = 'UTC'");
  // DuckDB's own checkpoint threshold (16 MB of WAL) stays: imports write whole row groups straight
  // to the file (duckdb-bulk.ts), so their WAL is small, and a 64 MB WAL left to the checkpoint at
  // close raised an import's peak RSS by up to ~40 MB.
  await connection.run(DUCKDB_FACT_TABLES);
  await migrateWideOrderLines(connection);
  await connection.run(DUCKDB_ORDER_LINES_VIEW);
  await connection.run(DUCKDB_STAGING_TABLES);
  return new DuckDbWarehouse(instance, connection, options.bulkInsertRows ?? BULK_INSERT_ROWS);
}

class DuckDbWarehouse implements Warehouse {
  private readonly queue = new SerialQueue();
  private closed = false;

  constructor(private readonly instance: DuckDBInstance, private readonly connection: DuckDBConnection, private readonly bulkInsertRows: number) {}

  appendFacts(batch: FactBatch, options?: AppendFactsOptions): Promise<AppendFactsResult> {
    return this.serialized(() => appendFactsToDuckDb(this.connection, batch, options));
  }

  openBulkLoad(): Promise<WarehouseBulkLoad> {
    if (this.closed) return Promise.reject(new Error('warehouse: the DuckDB warehouse is closed; open it again to use it'));
    return openDuckDbBulkLoad(this.instance, this.queue, this.bulkInsertRows);
  }

  runKpi(name: string, query: KpiQuery): Promise<KpiResult> {
    const kpi = findKpi(name);
    if (!kpi) return Promise.reject(new Error(`warehouse: no KPI named "${name}"; known KPIs: ${kpiNames.join(', ')}`));
    checkKpiQuery(kpi.name, query);
    const context = new DuckDbKpiContext(query);
    const sql = kpi.sql.duckdb(context);
    return this.serialized(async () => {
      const rows = await this.select(sql, context.parameters);
      return { kpi: kpi.name, columns: kpi.columns, rows: toKpiRows(kpi.name, kpi.columns, rows) };
    });
  }

  countViews(productId: string, sinceMs: number, untilMs: number): Promise<number> {
    return this.serialized(async () => {
      const rows = await this.select(
        `SELECT COUNT(*) AS views FROM views
         WHERE product_id = $product_id AND ts >= epoch_ms(CAST($since_ms AS BIGINT)) AND ts < epoch_ms(CAST($until_ms AS BIGINT))`,
        { product_id: productId, since_ms: sinceMs, until_ms: untilMs },
      );
      return Number(rows[0].views);
    });
  }

  attentionCounts(fromMs: number, toMs: number): Promise<{ product_id: string; views: number; purchases: number }[]> {
    return this.serialized(async () => {
      const rows = await this.select(ATTENTION_COUNTS, { from_ms: fromMs, to_ms: toMs });
      return rows.map((row) => ({ product_id: String(row.product_id), views: Number(row.views), purchases: Number(row.purchases) }));
    });
  }

  exportFacts(table: FactTable, filter: FactFilter, file: string, format: 'csv' | 'parquet'): Promise<number> {
    return this.serialized(() => exportFactsFromDuckDb(this.connection, table, filter, file, format));
  }

  getInvoice(orderId: string): Promise<Invoice | undefined> {
    return this.serialized(() => invoiceFromDuckDb(this.connection, orderId));
  }

  listInvoices(customerId: string, paging: { limit: number; offset: number }): Promise<Page<InvoiceSummary>> {
    return this.serialized(() => customerInvoicesFromDuckDb(this.connection, customerId, paging));
  }

  countries(): Promise<string[]> {
    return this.serialized(async () => {
      const rows = await this.select(
        "SELECT DISTINCT country FROM order_lines WHERE country IS NOT NULL AND trim(country) <> '' ORDER BY country",
      );
      return rows.map((row) => String(row.country));
    });
  }

  close(): Promise<void> {
    return this.serialized(async () => {
      this.closed = true;
      this.connection.closeSync();
      this.instance.closeSync();
    });
  }

  private serialized<T>(task: () => Promise<T>): Promise<T> {
    return this.queue.run(() => {
      if (this.closed) return Promise.reject(new Error('warehouse: the DuckDB warehouse is closed; open it again to use it'));
      return task();
    });
  }

  private async select(sql: string, parameters?: Record<string, DuckDBValue>): Promise<Record<string, unknown>[]> {
    const reader = await this.connection.runAndReadAll(sql, parameters);
    return reader.getRowObjectsJson() as Record<string, unknown>[];
  }
}

// Views and net units sold per product in a window; a product with either shows.
const ATTENTION_COUNTS = `
  WITH viewed AS (
    SELECT product_id, COUNT(*) AS views FROM views
    WHERE ts >= epoch_ms(CAST($from_ms AS BIGINT)) AND ts < epoch_ms(CAST($to_ms AS BIGINT))
    GROUP BY product_id
  ),
  purchased AS (
    SELECT product_id, SUM(quantity) AS purchases FROM order_lines
    WHERE kind = 'product' AND ts >= epoch_ms(CAST($from_ms AS BIGINT)) AND ts < epoch_ms(CAST($to_ms AS BIGINT))
    GROUP BY product_id
  )
  SELECT product_id, COALESCE(v.views, 0) AS views, COALESCE(p.purchases, 0) AS purchases
  FROM (SELECT product_id FROM viewed UNION SELECT product_id FROM purchased) k
    LEFT JOIN viewed v USING (product_id) LEFT JOIN purchased p USING (product_id)
  ORDER BY views DESC, purchases DESC, product_id`;

function checkKpiQuery(kpi: string, query: KpiQuery): void {
  if (!Number.isSafeInteger(query.fromMs) || !Number.isSafeInteger(query.toMs)) {
    throw new Error(`warehouse: KPI ${kpi}: from and to must be epoch milliseconds, got ${query.fromMs} and ${query.toMs}`);
  }
  if (!Number.isSafeInteger(query.limit) || query.limit < 1) {
    throw new Error(`warehouse: KPI ${kpi}: limit must be a positive integer, got ${query.limit}`);
  }
}
