/**
 * The embedded OLTP store (DESIGN §4): one SQLite file in WAL mode. Money is stored as INTEGER
 * units of 10^-4 and crosses the port as decimal strings. Event application lives in
 * sqlite-apply.ts, the pipeline's own records (dead letters, jobs, notifications…) in
 * sqlite-records.ts, the DDL in sqlite-schema.ts.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { formatMoneyUnits } from '../events/money.js';
import type { LineKind } from '../events/schemas.js';
import { parseZonedTimestamp } from '../events/time.js';
import type { Invoice, InvoiceLine, InvoiceSummary, Page, ProductRecord, ProductSummary, Store } from './port.js';
import { createApplyEvents } from './sqlite-apply.js';
import { createRecords } from './sqlite-records.js';
import { createQueryRecords } from './sqlite-queries.js';
import { migrateStore, type StoredLine } from './sqlite-schema.js';

export interface SqliteStoreOptions {
  file: string;
  /**
   * `normal` (default): a commit survives a killed process; `full` also power loss, at an fsync per
   * commit. Follows the event log's setting (STOREPULSE_LOG_SYNC): the consumer acknowledges the
   * log after the store committed, so the store must be at least as durable as the log.
   */
  sync?: 'normal' | 'full';
}

interface ProductRow {
  product_id: string;
  name: string;
  kind: LineKind;
  category: string | null;
  brand: string | null;
  seller_id: string | null;
  price_units: number | null;
  currency: string | null;
}

interface OrderRow {
  row_id: number;
  order_id: string;
  event_id: string;
  ts: string;
  customer_id: string | null;
  country: string | null;
  seller_id: string | null;
  currency: string;
  cancellation: number;
  line_count: number;
  total_money_units: number;
}

const PRODUCT_COLUMNS = 'p.product_id, p.name, p.kind, p.category, p.brand, p.seller_id, p.price_units, p.currency';
const ORDER_COLUMNS = 'row_id, order_id, event_id, ts, customer_id, country, seller_id, currency, cancellation, line_count, total_money_units';

function toProductSummary(row: ProductRow): ProductSummary {
  return {
    product_id: row.product_id, name: row.name, kind: row.kind, category: row.category, brand: row.brand,
    seller_id: row.seller_id, price: row.price_units === null ? null : formatMoneyUnits(row.price_units), currency: row.currency,
  };
}

function toInvoiceSummary(row: OrderRow): InvoiceSummary {
  return {
    order_id: row.order_id, event_id: row.event_id, ts: row.ts, customer_id: row.customer_id, country: row.country,
    seller_id: row.seller_id, currency: row.currency, cancellation: row.cancellation === 1, line_count: row.line_count,
    total: formatMoneyUnits(row.total_money_units),
  };
}

function toInvoiceLines(lines: string): InvoiceLine[] {
  return (JSON.parse(lines) as StoredLine[]).map(([product_id, description, quantity, unitPriceUnits, kind, amountUnits], index) => ({
    line_no: index + 1, product_id, description, quantity, unit_price: formatMoneyUnits(unitPriceUnits), kind, amount: formatMoneyUnits(amountUnits),
  }));
}

/** A LIKE pattern that matches `text` literally anywhere (user input may contain % and _). */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

export function checkPaging(options: { limit: number; offset: number }, what: string): void {
  if (!Number.isInteger(options.limit) || options.limit < 0 || !Number.isInteger(options.offset) || options.offset < 0) {
    throw new RangeError(`${what}: limit ${options.limit} and offset ${options.offset} must be whole numbers >= 0`);
  }
}

function openDatabase(file: string, sync: 'normal' | 'full'): Database.Database {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${sync === 'full' ? 'FULL' : 'NORMAL'}`);
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = OFF');
    // 16 MiB of pages: the store holds the hot window only, and the OS caches the file too (64 MiB cost ~35 MB of
    // an import's peak RSS for no measurable speed).
    db.pragma('cache_size = -16384');
    migrateStore(db, file);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

const MAX_CACHED_PRODUCTS = 100_000;

export function openSqliteStore(options: SqliteStoreOptions): Store {
  const file = path.resolve(options.file);
  const db = openDatabase(file, options.sync ?? 'normal');
  // Every fact batch looks up the catalog entries of its products; most are the same from batch to
  // batch (profiled: ~6% of an import's main thread). Only this adapter writes products, and it
  // drops the entries it writes.
  const productCache = new Map<string, ProductSummary>();
  const applyEvents = createApplyEvents(db, (changed) => {
    for (const productId of changed) productCache.delete(productId);
  });

  const productsByIds = db.prepare(`SELECT ${PRODUCT_COLUMNS} FROM products p WHERE p.product_id IN (SELECT value FROM json_each(?))`);
  const productRecord = db.prepare(`
    SELECT ${PRODUCT_COLUMNS}, coalesce(i.in_stock, 0) AS in_stock, d.details, p.created_at, p.updated_at
    FROM products p LEFT JOIN inventory i USING (product_id) LEFT JOIN product_details d USING (product_id)
    WHERE p.product_id = ?`);
  const productFilter = `WHERE (@pattern IS NULL OR p.product_id LIKE @pattern ESCAPE '\\' OR p.name LIKE @pattern ESCAPE '\\')`;
  const productPage = db.prepare(`
    SELECT ${PRODUCT_COLUMNS}, coalesce(i.in_stock, 0) AS in_stock FROM products p LEFT JOIN inventory i USING (product_id)
    ${productFilter} ORDER BY p.product_id LIMIT @limit OFFSET @offset`);
  const productCount = db.prepare(`SELECT count(*) FROM products p ${productFilter}`).pluck();
  const latestOrder = db.prepare(`SELECT ${ORDER_COLUMNS}, lines FROM orders WHERE order_id = ? ORDER BY ts DESC, row_id DESC LIMIT 1`);
  const customerOrders = db.prepare(`
    SELECT ${ORDER_COLUMNS} FROM orders WHERE customer_id = ? ORDER BY ts DESC, row_id DESC LIMIT ? OFFSET ?`);
  const customerOrderCount = db.prepare('SELECT count(*) FROM orders WHERE customer_id = ?').pluck();
  const pruneOrders = db.prepare('DELETE FROM orders WHERE ts < ?');

  let closed = false;
  const checkOpen = (operation: string) => {
    if (closed) throw new Error(`store ${file}: ${operation} after close`);
  };
  const records = createRecords(db, checkOpen, checkPaging);
  const queries = createQueryRecords(db, checkOpen, checkPaging);

  return {
    async applyEvents(events, options) {
      checkOpen('applyEvents');
      if (events.length === 0) return { applied: [], skipped: [] };
      return applyEvents(events, options);
    },

    async productsByIds(productIds) {
      checkOpen('productsByIds');
      const found = new Map<string, ProductSummary>();
      const missing: string[] = [];
      for (const productId of productIds) {
        const cached = productCache.get(productId);
        if (cached) found.set(productId, cached);
        else missing.push(productId);
      }
      if (missing.length === 0) return found;
      if (productCache.size + missing.length > MAX_CACHED_PRODUCTS) productCache.clear();
      for (const row of productsByIds.all(JSON.stringify(missing)) as ProductRow[]) {
        const summary = toProductSummary(row);
        found.set(row.product_id, summary);
        productCache.set(row.product_id, summary);
      }
      return found;
    },

    async getProduct(productId) {
      checkOpen('getProduct');
      const row = productRecord.get(productId) as
        (ProductRow & { in_stock: number; details: string | null; created_at: string; updated_at: string }) | undefined;
      if (!row) return undefined;
      const record: ProductRecord = {
        ...toProductSummary(row), in_stock: row.in_stock, details: row.details ? JSON.parse(row.details) as Record<string, unknown> : {},
        created_at: row.created_at, updated_at: row.updated_at,
      };
      return record;
    },

    async listProducts(options) {
      checkOpen('listProducts');
      checkPaging(options, 'listProducts');
      const pattern = options.search ? containsPattern(options.search) : null;
      const rows = productPage.all({ pattern, limit: options.limit, offset: options.offset }) as (ProductRow & { in_stock: number })[];
      return {
        items: rows.map((row) => ({ ...toProductSummary(row), in_stock: row.in_stock })),
        total: productCount.get({ pattern }) as number, limit: options.limit, offset: options.offset,
      };
    },

    async getInvoice(orderId) {
      checkOpen('getInvoice');
      const order = latestOrder.get(orderId) as (OrderRow & { lines: string }) | undefined;
      if (!order) return undefined;
      const invoice: Invoice = { ...toInvoiceSummary(order), lines: toInvoiceLines(order.lines) };
      return invoice;
    },

    async listInvoices(customerId, options) {
      checkOpen('listInvoices');
      checkPaging(options, 'listInvoices');
      const rows = customerOrders.all(customerId, options.limit, options.offset) as OrderRow[];
      const page: Page<InvoiceSummary> = {
        items: rows.map(toInvoiceSummary), total: customerOrderCount.get(customerId) as number, limit: options.limit, offset: options.offset,
      };
      return page;
    },

    ...records,
    ...queries,

    async pruneOrdersBefore(before) {
      checkOpen('pruneOrdersBefore');
      // Stored timestamps are ISO UTC strings, so the bound must be one too for the comparison to hold.
      return pruneOrders.run(parseZonedTimestamp(before)).changes;
    },

    async close() {
      if (closed) return;
      closed = true;
      db.close();
    },
  };
}
