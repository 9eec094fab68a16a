/**
 * applyEvents for the SQLite store: one transaction per call, idempotent by event id.
 *
 * Speed matters here (the whole online-retail file goes through it), so the writer batches at the
 * engine boundary: order lines go in multi-row INSERTs, and inventory and customer changes are
 * summed per call and written once per product or customer.
 */
import type Database from 'better-sqlite3';
import { moneyToUnits } from '../events/money.js';
import { boundedMemo } from '../events/memo.js';
import type { OrderEvent, ProductEvent, StorepulseEvent } from '../events/schemas.js';
import type { ApplyOptions, ApplyResult } from './port.js';
import type { StoredLine } from './sqlite-schema.js';

const ROWS_PER_INSERT = 100;

/**
 * Collects rows for one table and writes them with multi-row INSERTs (fewer statement calls);
 * `onConflict` makes them upserts (SQLite applies it row by row, as to single-row INSERTs).
 */
class RowBuffer {
  private values: unknown[] = [];
  private readonly statements = new Map<number, Database.Statement>();

  constructor(
    private readonly db: Database.Database, private readonly table: string, private readonly columns: string[], private readonly onConflict = '',
  ) {}

  add(...row: unknown[]): void {
    this.values.push(...row);
    if (this.values.length === ROWS_PER_INSERT * this.columns.length) this.flush();
  }

  flush(): void {
    const rows = this.values.length / this.columns.length;
    if (rows > 0) this.statement(rows).run(this.values);
    this.values = [];
  }

  /** Drops rows not yet written (the transaction that collected them rolled back). */
  discard(): void {
    this.values = [];
  }

  private statement(rows: number): Database.Statement {
    let statement = this.statements.get(rows);
    if (!statement) {
      const row = `(${this.columns.map(() => '?').join(', ')})`;
      statement = this.db.prepare(`INSERT INTO ${this.table} (${this.columns.join(', ')}) VALUES ${Array(rows).fill(row).join(', ')} ${this.onConflict}`);
      this.statements.set(rows, statement);
    }
    return statement;
  }
}

/** Stock change of one product within one call: an optional absolute level, then a delta. */
interface StockChange {
  level: number | null;
  delta: number;
}

interface CustomerChange {
  country: string | null;
  countryTs: string;
  firstSeen: string;
  lastSeen: string;
  orders: number;
}

/** Products never leave the catalog, so an id once committed stays known; bounded to cap memory. */
const MAX_KNOWN_PRODUCTS = 500_000;

/**
 * `onProductsChanged` hears, after each commit, the ids whose catalog rows the call may have
 * written (inferred or upserted), so that a cache of them can forget those.
 */
export function createApplyEvents(
  db: Database.Database, onProductsChanged: (productIds: Set<string>) => void = () => {},
): (events: StorepulseEvent[], options?: ApplyOptions) => ApplyResult {
  const knownProducts = new Set<string>();
  // Order lines repeat a small set of prices; parsing each decimal once per store is measurably faster.
  const priceUnits = boundedMemo(moneyToUnits, { maxEntries: 50_000 });
  // One statement marks a call's ids (one driver call per id cost ~2 µs an event); RETURNING yields the ids
  // not applied before, once each, so a repeat within the call is skipped like an id applied earlier.
  const markNewlyApplied = db.prepare('INSERT OR IGNORE INTO applied_events (id) SELECT value FROM json_each(?) RETURNING id').pluck();
  const inferProduct = db.prepare(`
    INSERT OR IGNORE INTO products (product_id, name, kind, inferred, created_at, updated_at) VALUES (?, ?, ?, 1, ?, ?)`);
  const upsertProduct = db.prepare(`
    INSERT INTO products (product_id, name, kind, category, brand, seller_id, price_units, currency, inferred, created_at, updated_at)
    VALUES (@product_id, @name, @kind, @category, @brand, @seller_id, @price_units, @currency, 0, @ts, @ts)
    ON CONFLICT (product_id) DO UPDATE SET
      name = excluded.name, kind = excluded.kind, category = excluded.category, brand = excluded.brand,
      seller_id = excluded.seller_id, price_units = excluded.price_units, currency = excluded.currency,
      inferred = 0, updated_at = excluded.updated_at
    WHERE products.inferred = 1 OR excluded.updated_at >= products.updated_at`);
  const upsertDetails = db.prepare(`
    INSERT INTO product_details (product_id, details) VALUES (?, ?)
    ON CONFLICT (product_id) DO UPDATE SET details = excluded.details`);
  const setStock = db.prepare(`
    INSERT INTO inventory (product_id, in_stock) VALUES (?, ?)
    ON CONFLICT (product_id) DO UPDATE SET in_stock = excluded.in_stock`);
  // An import touches thousands of products a call (profiled: one statement call each was half the call's store time).
  const stockDeltas = new RowBuffer(db, 'inventory', ['product_id', 'in_stock'], 'ON CONFLICT (product_id) DO UPDATE SET in_stock = in_stock + excluded.in_stock');
  // Positional parameters (the last one is the country's ts): binding by name looks each up in an object, ~500 customers a call in an import.
  const upsertCustomer = db.prepare(`
    INSERT INTO customers (customer_id, country, first_seen, last_seen, order_count)
    VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (customer_id) DO UPDATE SET
      country = CASE WHEN excluded.country IS NOT NULL AND (customers.country IS NULL OR ? >= customers.last_seen)
                     THEN excluded.country ELSE customers.country END,
      first_seen = min(customers.first_seen, excluded.first_seen),
      last_seen = max(customers.last_seen, excluded.last_seen),
      order_count = customers.order_count + excluded.order_count`);
  const lastOrderRow = db.prepare('SELECT coalesce(max(row_id), 0) FROM orders').pluck();
  const orderRows = new RowBuffer(db, 'orders', ['row_id', 'order_id', 'event_id', 'ts', 'customer_id', 'country', 'seller_id',
    'currency', 'cancellation', 'line_count', 'total_money_units', 'lines']);

  let productsSeen = new Set<string>();
  const applyInTransaction = db.transaction((events: StorepulseEvent[], hotFrom: string | undefined): ApplyResult => {
    const applied: string[] = [];
    const skipped: string[] = [];
    const stock = new Map<string, StockChange>();
    const customers = new Map<string, CustomerChange>();
    let orderRow = lastOrderRow.get() as number;

    const inferOnce = (productId: string, name: string, kind: string, ts: string) => {
      if (productsSeen.has(productId) || knownProducts.has(productId)) return;
      productsSeen.add(productId);
      inferProduct.run(productId, name, kind, ts, ts);
    };
    /** The product's stock change in this call; its first touch makes sure the catalog has it (one lookup a line after that). */
    const touch = (productId: string, name: string, kind: string, ts: string): StockChange => {
      let change = stock.get(productId);
      if (change === undefined) {
        inferOnce(productId, name, kind, ts);
        change = { level: null, delta: 0 };
        stock.set(productId, change);
      }
      return change;
    };
    const applyOrder = (order: OrderEvent) => {
      for (const line of order.lines) {
        const change = touch(line.product_id, line.description || line.product_id, line.kind, order.ts);
        // Only goods are stocked; a negative quantity (return, cancellation) puts units back.
        if (line.kind === 'product') change.delta -= line.quantity;
      }
      if (order.customer_id) noteCustomer(customers, order);
      // Both are ISO UTC strings of one format, so they compare as instants.
      if (hotFrom === undefined || order.ts >= hotFrom) keepOrderRow(order);
    };
    const keepOrderRow = (order: OrderEvent) => {
      let totalMoneyUnits = 0;
      const lines = new Array<StoredLine>(order.lines.length);
      for (let index = 0; index < order.lines.length; index++) {
        const line = order.lines[index];
        const unitPriceUnits = priceUnits(line.unit_price);
        const amountUnits = line.quantity * unitPriceUnits;
        totalMoneyUnits += amountUnits;
        lines[index] = [line.product_id, line.description ?? null, line.quantity, unitPriceUnits, line.kind, amountUnits];
      }
      orderRow += 1;
      orderRows.add(orderRow, order.order_id, order.id, order.ts, order.customer_id ?? null, order.country ?? null,
        order.seller_id ?? null, order.currency, order.cancellation ? 1 : 0, order.lines.length, totalMoneyUnits, JSON.stringify(lines));
    };

    const applyProduct = (product: ProductEvent) => {
      const changed = upsertProduct.run({
        product_id: product.product_id, name: product.name, kind: product.kind, category: product.category ?? null,
        brand: product.brand ?? null, seller_id: product.seller_id ?? null, price_units: moneyToUnits(product.price),
        currency: product.currency, ts: product.ts,
      }).changes === 1;
      productsSeen.add(product.product_id);
      // An older product event (arriving late) does not overwrite a newer one.
      if (!changed) return;
      if (product.details) upsertDetails.run(product.product_id, JSON.stringify(product.details));
      if (product.instock !== undefined) stock.set(product.product_id, { level: product.instock, delta: 0 });
    };

    const ids = new Array<string>(events.length);
    for (let index = 0; index < events.length; index += 1) ids[index] = events[index].id;
    const newIds = new Set(markNewlyApplied.all(JSON.stringify(ids)) as string[]);
    for (const event of events) {
      if (!newIds.delete(event.id)) {
        skipped.push(event.id);
        continue;
      }
      applied.push(event.id);
      if (event.type === 'order') applyOrder(event);
      else if (event.type === 'product') applyProduct(event);
      else if (event.type === 'restock') {
        touch(event.product_id, event.product_id, 'product', event.ts).delta += event.quantity;
      }
      // product_view, cart_add and probe belong to the warehouse only; marking them applied is all.
    }
    orderRows.flush();
    for (const [productId, change] of stock) {
      if (change.level !== null) setStock.run(productId, change.level + change.delta);
      else if (change.delta !== 0) stockDeltas.add(productId, change.delta);
    }
    stockDeltas.flush();
    for (const [customerId, change] of customers) {
      upsertCustomer.run(customerId, change.country, change.firstSeen, change.lastSeen, change.orders, change.countryTs);
    }
    return { applied, skipped };
  });

  return (events, options) => {
    productsSeen = new Set();
    let result: ApplyResult;
    try {
      result = applyInTransaction.immediate(events, options?.hotFrom);
    } catch (error) {
      orderRows.discard();
      stockDeltas.discard();
      throw error;
    }
    // Only after COMMIT: a rolled-back call must not leave ids the catalog does not hold.
    if (knownProducts.size + productsSeen.size > MAX_KNOWN_PRODUCTS) knownProducts.clear();
    for (const productId of productsSeen) knownProducts.add(productId);
    if (productsSeen.size > 0) onProductsChanged(productsSeen);
    return result;
  };
}

function noteCustomer(customers: Map<string, CustomerChange>, order: OrderEvent): void {
  const customerId = order.customer_id as string;
  const country = order.country ?? null;
  const change = customers.get(customerId);
  if (!change) {
    customers.set(customerId, { country, countryTs: order.ts, firstSeen: order.ts, lastSeen: order.ts, orders: 1 });
    return;
  }
  change.orders += 1;
  if (order.ts < change.firstSeen) change.firstSeen = order.ts;
  if (order.ts > change.lastSeen) change.lastSeen = order.ts;
  if (country !== null && (change.country === null || order.ts >= change.countryTs)) {
    change.country = country;
    change.countryTs = order.ts;
  }
}
